import { type ChildProcess, spawn } from 'node:child_process';
import { cliPath } from '../../testkit/cli';

export interface WebApp {
  /** The URL `stevedore ui` printed, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Whether the `stevedore ui` process still runs (a crash ends it). */
  alive(): boolean;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test that throws before its `after` hook must not leave a server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `stevedore --root ROOT ui --port 0`, as a person starts it, ready once it prints its URL. */
export function startWebApp(
  root: string,
  timeoutMs = 15_000,
  as?: { uid: number; gid: number; env: NodeJS.ProcessEnv },
): Promise<WebApp> {
  const { STEVEDORE_ROOT: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [cliPath, '--root', root, 'ui', '--port', '0'], {
    env: as ? { ...env, ...as.env } : env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ? { uid: as.uid, gid: as.gid, cwd: root } : {}),
  });
  running.add(child);
  let output = '';

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  };

  return new Promise<WebApp>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`stevedore ui ${why}; output:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving the app at (http:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      const url = new URL(match[1]);
      const alive = () => child.exitCode === null && child.signalCode === null;
      resolve({
        url: url.href,
        origin: url.origin,
        port: Number(url.port),
        token: url.searchParams.get('token') ?? '',
        alive,
        stop,
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
}
