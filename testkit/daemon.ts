import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { cliPath } from './cli.js';

export interface Daemon {
  child: ChildProcess;
  /** Where it said it listens. */
  socketPath: string;
  /** The line it printed when it was ready. */
  firstLine: string;
  alive(): boolean;
  /** Signals it (unless it has ended) and resolves with its exit code and all it printed. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; output: string }>;
}

const daemons = new Set<ChildProcess>();
process.once('exit', () => {
  for (const d of daemons) d.kill('SIGKILL');
});

/**
 * `stevedore --root ROOT daemon`, ready once it prints where it listens: the socket's file alone
 * is no sign, it exists a moment before the engine accepts on it (bind, then listen). `as`: run by
 * that account (a normal user's engine), with `env` as its whole environment.
 */
export function startDaemon(root: string, env?: NodeJS.ProcessEnv, as?: { uid: number; gid: number }): Promise<Daemon> {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...inherited } = process.env;
  const child = spawn(process.execPath, [cliPath, '--root', root, 'daemon'], {
    env: env ?? inherited,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ? { uid: as.uid, gid: as.gid, cwd: root } : {}),
  });
  daemons.add(child);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the daemon did not start in 30 s: ${output}`)), 30_000);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      const line = /^(.*listening on (\S+))\n/m.exec(output);
      if (!line) return;
      clearTimeout(timer);
      resolve({
        child,
        socketPath: line[2]!,
        firstLine: line[1]!,
        alive,
        stop: async (signal = 'SIGTERM') => {
          if (alive()) child.kill(signal);
          const code = await exited;
          daemons.delete(child);
          return { code, output };
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the daemon exited (${code}) before it was ready: ${output}`));
    });
  });
}

/** A client of the engine socket as the CLI's thin client is: a WebSocket over the unix socket. */
export async function openEngineSocket(socketPath: string): Promise<WebSocket> {
  const ws = new WebSocket('ws://localhost/api', { createConnection: () => connect(socketPath) });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  // Later, a dropped connection is the caller's to notice (a call waiting on it fails), not a crash.
  ws.on('error', () => undefined);
  return ws;
}
