import { StevedoreError } from '../errors.js';

// runc's words (logfmt, quotes maybe escaped) when the command is not in the image, or is there but cannot be executed.
const NOT_FOUND = /exec: \\?"([^"\\]*)\\?": (executable file not found in \$PATH|stat [^:]*: no such file or directory)/;
const NOT_EXECUTABLE = /exec: \\?"([^"\\]*)\\?": permission denied/;
// runc exec's words for a working directory (-w) it could not enter: not there, not a directory.
const NO_WORKDIR = /chdir to cwd \(\\?"([^"\\]*)\\?"\) set in config\.json failed: ([a-z ]+)/;

/**
 * docker's wording and exit code when runc could not start the command: 127 when it is not in the
 * image, 126 when it cannot be executed (not a program, no x bit) or, for exec, its working
 * directory cannot be entered. `verb`: what was starting it.
 */
export function commandStartError(
  runtimeOutput: string,
  verb: 'run' | 'exec' = 'run',
): (StevedoreError & { exitCode: number }) | undefined {
  const prefix = verb === 'run' ? 'failed to create task for container' : 'exec failed';
  const missing = NOT_FOUND.exec(runtimeOutput);
  if (missing) {
    return Object.assign(
      new StevedoreError('NOT_FOUND', `${prefix}: exec: "${missing[1]}": executable file not found in $PATH`),
      { exitCode: 127 },
    );
  }
  const workdir = verb === 'exec' ? NO_WORKDIR.exec(runtimeOutput) : null;
  if (workdir) {
    // docker's exec gives 126 for any command its runtime could not start.
    return Object.assign(
      new StevedoreError(
        'NOT_FOUND',
        `${prefix}: unable to start container process: chdir to cwd ("${workdir[1]}") set in config.json failed: ${workdir[2]}`,
      ),
      { exitCode: 126 },
    );
  }
  const denied = NOT_EXECUTABLE.exec(runtimeOutput);
  if (denied) {
    return Object.assign(new StevedoreError('DENIED', `${prefix}: exec: "${denied[1]}": permission denied`), { exitCode: 126 });
  }
  return undefined;
}
