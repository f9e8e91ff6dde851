import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { shellQuote } from '../text/shellQuote.js';

/** How a command ended: its exit status and what it said on stderr. */
export interface ShellResult {
  code: number;
  stderr: string;
}

/**
 * Short commands (mount, umount) run one at a time by one long-lived `/bin/sh`, instead of by a
 * process Node starts for each. Where starting a process is dear, as in a machine's guest under
 * TCG (an execFile of /bin/true from the agent took 43-52 ms there, the same through a shell
 * already running 14-16 ms), the agent turns it on (useCommandShell); elsewhere nothing changes.
 * A command's stdin is /dev/null and its stdout is dropped; its stderr is kept for its error.
 */
export class CommandShell {
  private shell?: ChildProcessWithoutNullStreams;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly marker = `stevedore-done-${randomBytes(8).toString('hex')}`;

  constructor(private readonly shellPath = '/bin/sh') {}

  run(argv: string[]): Promise<ShellResult> {
    const result = this.queue.then(() => this.runNow(argv));
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

  private runNow(argv: string[]): Promise<ShellResult> {
    const shell = this.started();
    const { marker } = this;
    return new Promise<ShellResult>((resolve, reject) => {
      let out = '';
      let err = '';
      let code: number | undefined;
      let stderr: string | undefined;
      const finish = () => {
        if (code === undefined || stderr === undefined) return;
        cleanup();
        resolve({ code, stderr });
      };
      const onOut = (chunk: string) => {
        out += chunk;
        const match = new RegExp(`(?:^|\\n)${marker} (\\d+)\\n`).exec(out);
        if (match) {
          code = Number(match[1]);
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
      shell.stdin.write(
        `${shellQuote(argv)} </dev/null >/dev/null; printf '\\n%s %d\\n' ${marker} "$?"; printf '\\n%s\\n' ${marker} >&2\n`,
      );
    });
  }
}

let shared: CommandShell | undefined;

/** Short commands of this process go through one shell from now on (the agent in a machine). */
export function useCommandShell(): void {
  shared ??= new CommandShell();
}

/** The process's command shell, if it uses one. */
export function commandShell(): CommandShell | undefined {
  return shared;
}
