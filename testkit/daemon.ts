import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { startEngineDaemon } from '../core/server/engineDaemon.js';
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
 * `stevedore --root ROOT daemon`, ready once it prints where it listens (startEngineDaemon, as the
 * desktop app starts a rootless engine). `as`: run by that account (a normal user's engine), with
 * `env` as its whole environment.
 */
export async function startDaemon(root: string, env?: NodeJS.ProcessEnv, as?: { uid: number; gid: number }): Promise<Daemon> {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...inherited } = process.env;
  const daemon = await startEngineDaemon([process.execPath, cliPath, '--root', root, 'daemon'], {
    env: env ?? inherited,
    readyWithinMs: 30_000,
    ...(as ? { as, cwd: root } : {}),
  });
  daemons.add(daemon.child);
  return {
    child: daemon.child,
    socketPath: daemon.socketPath,
    firstLine: daemon.readyLine,
    alive: daemon.alive,
    stop: async (signal) => {
      const code = await daemon.stop(signal);
      daemons.delete(daemon.child);
      return { code, output: daemon.output() };
    },
  };
}

/** A client of the engine socket as the CLI's thin client is: a WebSocket over the unix socket. */
export async function openEngineSocket(socketPath: string): Promise<WebSocket> {
  const ws = new WebSocket('ws://localhost/api', { createConnection: () => connect(socketPath) });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  // Later, a dropped connection is the caller's to notice (a call waiting on it fails), not a crash.
  ws.on('error', () => undefined);
  return ws;
}
