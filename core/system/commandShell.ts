import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { shellQuote } from '../text/shellQuote.js';
import { toolPath } from './toolPath.js';

/** How a command ended: its exit status, what it printed (when asked for) and what it said on stderr. */
export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ShellRunOptions {
  /** Text for the command's stdin (a batch, a script); /dev/null otherwise. */
  input?: string;
  /** Keep what the command prints on stdout; dropped otherwise. */
  keepStdout?: boolean;
}

/**
 * Short commands (mount, ip, nft) run one at a time by one long-lived `/bin/sh`, instead of by a
 * process Node starts for each. Starting a process from Node forks the whole of it: 9-10 ms of a
 * ~200 MB engine's main thread on the benchmark machine, and 43-52 ms for /bin/true from a
 * machine's agent under TCG; the same command through a shell already running takes the
 * engine's thread 0.1 ms (4.7 ms to `ip -V`'s end against 12-13 ms). The engine and a machine's
 * agent turn it on (keepCommandShells); a process that does not runs each command itself.
 */
export class CommandShell {
  private shell?: ChildProcessWithoutNullStreams;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly marker = `stevedore-done-${randomBytes(8).toString('hex')}`;

  constructor(private readonly shellPath = '/bin/sh') {}

  /** Calls not ended yet, this one's included once made. */
  pending = 0;

  run(argv: string[], options: ShellRunOptions = {}): Promise<ShellResult> {
    this.pending++;
    const result = this.queue.then(() => this.runNow(argv, options)).finally(() => this.pending--);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private started(): ChildProcessWithoutNullStreams {
    const current = this.shell;
    // One that never started (no pid) or has ended is replaced.
    if (current?.pid !== undefined && current.exitCode === null && current.signalCode === null) return current;
    const shell = spawn(this.shellPath, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    shell.stdout.setEncoding('utf8');
    shell.stderr.setEncoding('utf8');
    shell.on('error', () => undefined);
    shell.stdin.on('error', () => undefined);
    this.shell = shell;
    return shell;
  }

  private runNow(argv: string[], options: ShellRunOptions): Promise<ShellResult> {
    const shell = this.started();
    const { marker } = this;
    return new Promise<ShellResult>((resolve, reject) => {
      let out = '';
      let err = '';
      let code: number | undefined;
      let stdout = '';
      let stderr: string | undefined;
      const finish = () => {
        if (code === undefined || stderr === undefined) return;
        cleanup();
        resolve({ code, stdout, stderr });
      };
      const onOut = (chunk: string) => {
        out += chunk;
        // As on stderr: the marker comes after a newline of its own, then the status.
        const match = new RegExp(`\\n${marker} (\\d+)\\n`).exec(out);
        if (match) {
          code = Number(match[1]);
          stdout = out.slice(0, match.index);
          finish();
        }
      };
      const onErr = (chunk: string) => {
        err += chunk;
        // The marker comes after a newline of its own: what is before it is the command's.
        const at = err.indexOf(`\n${marker}\n`);
        if (at >= 0) {
          stderr = err.slice(0, at);
          finish();
        }
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`the shell running ${argv[0]} ended`));
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new Error(`no shell to run ${argv[0]} (${err.message})`));
      };
      const cleanup = () => {
        shell.stdout.off('data', onOut);
        shell.stderr.off('data', onErr);
        shell.off('exit', onExit);
        shell.off('error', onError);
        shell.unref();
        for (const stream of [shell.stdin, shell.stdout, shell.stderr]) (stream as unknown as { unref(): void }).unref?.();
      };
      shell.ref();
      for (const stream of [shell.stdin, shell.stdout, shell.stderr]) (stream as unknown as { ref(): void }).ref?.();
      shell.stdout.on('data', onOut);
      shell.stderr.on('data', onErr);
      shell.once('exit', onExit);
      shell.once('error', onError);
      // Input comes as a here-document whose end line has the marker in it, so no line of it ends it early.
      const input = options.input;
      const stdin = input === undefined ? '</dev/null' : `<<'${marker}-input'`;
      const stdoutTo = options.keepStdout ? '' : ' >/dev/null';
      const body = input === undefined ? '' : `${input}${input.endsWith('\n') || input === '' ? '' : '\n'}${marker}-input\n`;
      // A program by its path, as spawn() finds it: a shell may prefer its own applet of that name
      // (BusyBox's `ip`, in a machine's guest, is not iproute2's). One not found stays a name, which
      // the shell then says it cannot find (status 127).
      const [program = '', ...args] = argv;
      const command = [program.includes('/') ? program : (toolPath(program) ?? program), ...args];
      shell.stdin.write(
        `${shellQuote(command)} ${stdin}${stdoutTo}; printf '\\n%s %d\\n' ${marker} "$?"; printf '\\n%s\\n' ${marker} >&2\n${body}`,
      );
    });
  }
}

/** Several shells, each call going to the one with the fewest waiting: commands of separate calls (a mount beside an ip batch) still run side by side. */
export class CommandShells {
  private readonly shells: CommandShell[];

  constructor(count: number, shellPath?: string) {
    this.shells = Array.from({ length: Math.max(1, count) }, () => new CommandShell(shellPath));
  }

  run(argv: string[], options: ShellRunOptions = {}): Promise<ShellResult> {
    const idlest = this.shells.reduce((best, shell) => (shell.pending < best.pending ? shell : best));
    return idlest.run(argv, options);
  }
}

let shared: CommandShells | undefined;

/**
 * Short commands of this process go through long-lived shells from now on: a long-lived engine's
 * (`daemon`, `ui`, the app's, a machine's agent). Two, so that a container's mount and its first
 * ip batch, started together, still run side by side. A command-line process keeps starting its
 * own: one shell would cost it the process it saves (30 alternated `run --rm`: 1.04 and 0.98).
 */
export function keepCommandShells(count = 2): void {
  shared ??= new CommandShells(count);
}

/** The process's command shells, if it uses them. */
export function commandShells(): CommandShells | undefined {
  return shared;
}
