import { StevedoreError } from '../errors.js';
import { type OciRuntime, ociRuntime } from './runc.js';

/**
 * Each OCI runtime's words when the command is not in the image, is there but cannot be executed,
 * or (exec) its working directory cannot be entered: runc's in logfmt, quotes maybe escaped; crun
 * does not name a command it cannot execute.
 */
const WORDS: Record<
  OciRuntime,
  { notFound: RegExp; notExecutable: RegExp; noWorkdir: RegExp; rlimit: RegExp; failed: RegExp | null }
> = {
  runc: {
    notFound: /exec: \\?"([^"\\]*)\\?": (executable file not found in \$PATH|stat [^:]*: no such file or directory)/,
    notExecutable: /exec: \\?"([^"\\]*)\\?": permission denied/,
    noWorkdir: /chdir to cwd \(\\?"([^"\\]*)\\?"\) set in config\.json failed: ([a-z ]+)/,
    rlimit: /error setting rlimit type (\d+): ([a-z ]+)/,
    // Its own failure to start the container, for any other reason: one logfmt line.
    failed: /^time="[^"]*" level=error msg="(?:runc (?:run|create) failed|exec failed): ((?:[^"\\]|\\.)*)"$/m,
  },
  crun: {
    notFound: /executable file `([^`]*)` not found in \$PATH/,
    notExecutable: /open executable: Permission denied/,
    noWorkdir: /chdir `([^`]*)`: ([A-Za-z ]+)/,
    rlimit: /setrlimit `RLIMIT_([A-Z]+)`: ([A-Za-z ]+)/,
    failed: null,
  },
};

/** The kernel's numbers of the resources (RLIMIT_CPU is 0), by docker's names for `--ulimit`. */
const RLIMIT_NAMES = ['cpu', 'fsize', 'data', 'stack', 'core', 'rss', 'nproc', 'nofile', 'memlock', 'as', 'locks'];

/**
 * docker's wording and exit code when the OCI runtime could not start the command: 127 when it is
 * not in the image, 126 when it cannot be executed (not a program, no x bit) or, for exec, its
 * working directory cannot be entered; 125 (an exec's 126) when the runtime could not start the
 * container for another reason, said in the runtime's words, a `--ulimit` it may not set named. `verb`: what was starting it; `command`: the program asked
 * for, named in the message where the runtime's words do not name it.
 */
export function commandStartError(
  runtimeOutput: string,
  verb: 'run' | 'exec' = 'run',
  command = '',
  runtime: OciRuntime = ociRuntime(),
): (StevedoreError & { exitCode: number }) | undefined {
  const words = WORDS[runtime];
  const prefix = verb === 'run' ? 'failed to create task for container' : 'exec failed';
  const missing = words.notFound.exec(runtimeOutput);
  if (missing) {
    return Object.assign(
      new StevedoreError('NOT_FOUND', `${prefix}: exec: "${missing[1]}": executable file not found in $PATH`),
      { exitCode: 127 },
    );
  }
  const workdir = verb === 'exec' ? words.noWorkdir.exec(runtimeOutput) : null;
  if (workdir) {
    // docker's exec gives 126 for any command its runtime could not start.
    return Object.assign(
      new StevedoreError(
        'NOT_FOUND',
        `${prefix}: unable to start container process: chdir to cwd ("${workdir[1]}") set in config.json failed: ${workdir[2]!.toLowerCase()}`,
      ),
      { exitCode: 126 },
    );
  }
  const cannot = words.notExecutable.exec(runtimeOutput);
  const denied = cannot ? (cannot[1] ?? command) : undefined;
  if (denied !== undefined) {
    return Object.assign(new StevedoreError('DENIED', `${prefix}: exec: "${denied}": permission denied`), { exitCode: 126 });
  }
  // docker's exit code for a container its runtime could not start is 125; an exec's, 126.
  const exitCode = verb === 'run' ? 125 : 126;
  const limit = words.rlimit.exec(runtimeOutput);
  if (limit) {
    const name = /^\d+$/.test(limit[1]!) ? (RLIMIT_NAMES[Number(limit[1])] ?? `type ${limit[1]}`) : limit[1]!.toLowerCase();
    return Object.assign(
      new StevedoreError(
        'DENIED',
        `${prefix}: --ulimit ${name} could not be set (${limit[2]!.toLowerCase()}): a limit over the engine’s own hard limit needs more than it may do here`,
      ),
      { exitCode },
    );
  }
  const failed = words.failed?.exec(runtimeOutput);
  if (failed) {
    return Object.assign(new StevedoreError('INTERNAL', `${prefix}: ${failed[1]!.replace(/\\(.)/g, '$1')}`), { exitCode });
  }
  return undefined;
}
