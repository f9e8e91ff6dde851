import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { StevedoreError } from '../../errors.js';
import { commandShells } from '../../system/commandShell.js';
import { toolPath } from '../../system/toolPath.js';
import { runNetworkTool } from './networkTools.js';

/**
 * A `link show` of this name always fails, naming it: no interface's name has a '/' in it. It ends
 * each batch, so that ip's complaint about it says where the batch's own complaints stop.
 */
const MARKER = 'sd/end';

type IpProcess = ChildProcessByStdio<Writable, null, Readable>;

/**
 * One long-lived `ip -force -batch -` in the host's network namespace: lines written to it run at
 * once, without starting a process (~5 ms each on the benchmark machine, more beside a container's
 * mount). ip's own name cache is kept out of it: the lines given to it must name no existing
 * interface by its name (an index as `if<N>` instead), since a name it looked up once stays
 * mapped to that index for the process's life, even after the interface is gone.
 */
class IpSession {
  private child?: IpProcess;
  /** Lines written to the current process: ip numbers its complaints by them. */
  private written = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `lines`; resolves to ip's complaints about them, none when each succeeded. */
  run(lines: string[]): Promise<string[]> {
    const result = this.queue.then(() => this.runNow(lines));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private started(): IpProcess {
    const current = this.child;
    if (current?.pid !== undefined && current.exitCode === null && current.signalCode === null) return current;
    const child = spawn(toolPath('ip') ?? 'ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.on('error', () => undefined);
    child.stdin.on('error', () => undefined);
    this.child = child;
    this.written = 0;
    return child;
  }

  private runNow(lines: string[]): Promise<string[]> {
    const child = this.started();
    this.written += lines.length + 1;
    const markerLine = this.written;
    const end = `Command failed -:${markerLine}\n`;
    return new Promise<string[]>((resolve, reject) => {
      let said = '';
      const onErr = (chunk: string) => {
        said += chunk;
        const at = said.indexOf(end);
        if (at < 0) return;
        cleanup();
        resolve(complaints(said.slice(0, at), markerLine));
      };
      const onExit = () => {
        cleanup();
        reject(new StevedoreError('INTERNAL', `ip ended while running: ${lines.join('; ')}`));
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new StevedoreError('INTERNAL', `ip could not be started: ${err.message}`));
      };
      const cleanup = () => {
        child.stderr.off('data', onErr);
        child.off('exit', onExit);
        child.off('error', onError);
        child.unref();
        for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref(): void }).unref();
      };
      child.ref();
      for (const stream of [child.stdin, child.stderr]) (stream as unknown as { ref(): void }).ref();
      child.stderr.on('data', onErr);
      child.once('exit', onExit);
      child.once('error', onError);
      child.stdin.write(`${lines.join('\n')}\nlink show dev ${MARKER}${markerLine}\n`);
    });
  }
}

/** What ip said about a batch's lines: its words for each failing one, without its "Command failed" lines and the marker's. */
function complaints(said: string, markerLine: number): string[] {
  const marker = `Device "${MARKER}${markerLine}" does not exist.`;
  const failed = /^Command failed -:\d+$/;
  const lines = said.split('\n').filter((line) => line.trim() && line !== marker);
  if (!lines.some((line) => failed.test(line))) return [];
  const words = lines.filter((line) => !failed.test(line));
  return words.length > 0 ? words : ['ip refused a line of the batch'];
}

let session: IpSession | undefined;

/**
 * Runs ip batch `lines` in the host's namespace: through the long-lived session where this
 * process keeps command shells (a long-lived engine), else as one ip process. A failure is a
 * StevedoreError saying what was being done, in ip's words.
 */
export async function runHostIpBatch(lines: string[], what: string): Promise<void> {
  if (!commandShells()) {
    await runNetworkTool('ip', ['-batch', '-'], what, `${lines.join('\n')}\n`);
    return;
  }
  session ??= new IpSession();
  const said = await session.run(lines);
  if (said.length > 0) throw new StevedoreError('INTERNAL', `${what} failed: ${said.join('; ')}`);
}
