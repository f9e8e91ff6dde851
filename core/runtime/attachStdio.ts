import { DetachKeyScanner } from './attachDetachKeys.js';
import type { AttachConnection } from './attachSocket.js';
import { handOverTerminal } from './terminalHandOver.js';

export interface AttachStdioOptions {
  /** Pass this process's stdin on (`--no-stdin` and containers without `-i`: not). */
  stdin: boolean;
  /** Print the container's output here (start -a prints it from the log instead). */
  output: boolean;
  /** The container has a terminal: keys go through it raw, and its size follows this one's. */
  tty: boolean;
  /** docker's `--sig-proxy`: signals this process receives go to the container (not with a terminal, as docker). */
  sigProxy: boolean;
  /** The detach sequence, parsed (attachDetachKeys.ts). */
  detachKeys: Buffer;
  /** Sends a signal to the container. */
  kill: (signal: NodeJS.Signals) => Promise<unknown>;
}

/** The signals docker's attach passes on (those a user sends to stop or poke a program). */
const PROXIED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Joins this process's stdio to an attached container until it ends or the detach keys are typed;
 * resolves to which. Everything it set up (raw mode, signal handlers, stdin) is undone before.
 */
export function attachStdio(connection: AttachConnection, options: AttachStdioOptions): Promise<'ended' | 'detached'> {
  const stdin = process.stdin;
  const cleanups: (() => void)[] = [];
  if (options.output) {
    connection.onOutput((stream, data) => (stream === 'stdout' ? process.stdout : process.stderr).write(data));
  }
  if (options.sigProxy && !options.tty) {
    for (const signal of PROXIED) {
      const handler = () => void options.kill(signal).catch(() => undefined);
      process.on(signal, handler);
      cleanups.push(() => process.off(signal, handler));
    }
  }
  if (options.tty && process.stdout.isTTY) {
    const resize = () => connection.resize(process.stdout.rows, process.stdout.columns);
    resize();
    process.on('SIGWINCH', resize);
    cleanups.push(() => process.off('SIGWINCH', resize));
  }
  // Keys go to the container's terminal raw, and its output comes back as that terminal wrote it.
  const giveTerminalBack = options.stdin && options.tty ? handOverTerminal(true) : () => undefined;
  return new Promise((resolve) => {
    let done = false;
    const finish = (how: 'ended' | 'detached') => {
      if (done) return;
      done = true;
      for (const cleanup of cleanups) cleanup();
      giveTerminalBack();
      if (options.stdin) {
        stdin.pause();
        stdin.destroy();
      }
      connection.close();
      resolve(how);
    };
    if (options.stdin) {
      const scanner = new DetachKeyScanner(options.detachKeys);
      stdin.on('data', (chunk: Buffer) => {
        const { forward, detached } = scanner.feed(chunk);
        connection.write(forward);
        if (detached) finish('detached');
      });
      // The end of our input is not the container's: its stdin stays open (docker's StdinOnce false).
      stdin.on('end', () => connection.endInput());
      stdin.resume();
    }
    void connection.ended.then(() => finish('ended'));
  });
}
