import { type ChildProcess, spawn } from 'node:child_process';
import { StevedoreError } from '../errors.js';

/** `stevedore daemon`, started by another process (the desktop app, the tests) and ready. */
export interface EngineDaemon {
  readonly child: ChildProcess;
  /** The engine socket it said it listens on. */
  readonly socketPath: string;
  /** The line it printed once ready. */
  readonly readyLine: string;
  /** The last of what it printed (stdout and stderr), up to OUTPUT_KEPT characters. */
  output(): string;
  alive(): boolean;
  /** Signals it (unless it has ended) and resolves with its exit code once it has. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface EngineDaemonOptions {
  /** Its whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Run by another account (a normal user's engine started by root). */
  as?: { uid: number; gid: number };
  cwd?: string;
  /** How long it may take to be ready (default 60 s): a daemon that never says so is an error. */
  readyWithinMs?: number;
}

/** What is kept of a daemon's output: enough for its last complaints, bounded for a long-lived one. */
const OUTPUT_KEPT = 64 * 1024;

/**
 * Starts `command` (a way to run the CLI, then `--root ROOT daemon`) and resolves once it prints
 * where it listens: the socket file alone is no sign, it exists a moment before the engine accepts
 * on it (bind, then listen). Rejects with its last line when it ends before that (another engine
 * serves the store, the store cannot be opened), or when it stays silent past `readyWithinMs`
 * (then it is killed). Its output is read for as long as it runs, so that a write of its never
 * meets a closed pipe.
 */
export function startEngineDaemon(command: readonly string[], options: EngineDaemonOptions = {}): Promise<EngineDaemon> {
  const [program, ...args] = command;
  if (program === undefined) throw new StevedoreError('INVALID_ARGUMENT', 'no command to start the engine with');
  const child = spawn(program, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.as ? { uid: options.as.uid, gid: options.as.gid } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  const alive = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code));
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    const lastLine = () => output.trim().split('\n').at(-1) ?? '';
    const readyWithin = options.readyWithinMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new StevedoreError('INTERNAL', `the engine did not start in ${Math.round(readyWithin / 1000)} s: ${lastLine()}`));
    }, readyWithin);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new StevedoreError('INTERNAL', `the engine could not be started (${program}): ${err.message}`));
    });
    child.stderr?.on('data', keep);
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (ready) return;
      const line = /^(.*listening on (\S+))\n/m.exec(output);
      if (!line) return;
      ready = true;
      clearTimeout(timer);
      resolve({
        child,
        socketPath: line[2]!,
        readyLine: line[1]!,
        output: () => output,
        alive,
        stop: async (signal = 'SIGTERM') => {
          if (alive()) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new StevedoreError('INTERNAL', `the engine ended (${code ?? 'killed'}) before it was ready: ${lastLine()}`));
    });
  });
}
