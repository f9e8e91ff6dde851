import { call, type EngineClient } from '../api/engineClient.js';
import { StevedoreError } from '../errors.js';
import { attachStdio } from '../runtime/attachStdio.js';
import { writeLogEntries } from '../runtime/logOutput.js';
import type { ContainerAttacher } from '../runtime/runtimeBackend.js';
import { handOverTerminal } from '../runtime/terminalHandOver.js';

/**
 * docker's `start -a`: starts the container and prints its output until it ends, then exits with
 * its exit code. The output is followed from its log (from where it stood before the start), so
 * that a run of a container that had run before prints only this run's lines: contract calls, so
 * a running engine serves them. With `-i` (`stdin` given), this process's stdin goes to the
 * container through its attach socket, and the detach keys leave it running.
 */
export async function startAttached(
  client: EngineClient,
  ref: string,
  stdin?: { attacher: ContainerAttacher; detachKeys: Buffer },
): Promise<number> {
  const current = await call(client, 'containers.inspect', { id: ref });
  if (current.state === 'running' || current.state === 'paused') {
    throw new StevedoreError('CONFLICT', `container ${current.name} is already running: use logs -f to follow it`);
  }
  const cursor = (await call(client, 'containers.logs', { id: ref, tail: 0 })).cursor;
  // With -i, the container's terminal is this one from its start, whether or not the attach below
  // finds it still running: what it wrote comes out as it wrote it, without a \r added per line.
  const giveTerminalBack = stdin && current.tty ? handOverTerminal(true) : () => undefined;
  try {
    return await startAndFollow(client, ref, current.id, cursor, stdin, giveTerminalBack);
  } finally {
    giveTerminalBack();
  }
}

/** startAttached's start, then the output to the end; the terminal is given back before a detach ends this process. */
async function startAndFollow(
  client: EngineClient,
  ref: string,
  id: string,
  from: number,
  stdin: { attacher: ContainerAttacher; detachKeys: Buffer } | undefined,
  giveTerminalBack: () => void,
): Promise<number> {
  let cursor = from;
  await call(client, 'containers.start', { id: ref });
  let detached = false;
  if (stdin) {
    const { attacher, detachKeys } = stdin;
    // A container that has already ended has no stdin to give: its output is in the log all the same.
    const connection = await attacher.attach(ref).catch(() => undefined);
    if (connection) {
      void attachStdio(connection, {
        stdin: connection.interactive,
        output: false,
        tty: connection.tty,
        sigProxy: true,
        detachKeys,
        kill: (signal) => call(client, 'containers.kill', { id: ref, signal }),
      }).then((how) => {
        if (how !== 'detached') return;
        detached = true;
        giveTerminalBack();
        // The log follow below waits on the log file for a while: a detach ends this process now.
        process.stdout.write('', () => process.exit(0));
      });
    }
  }
  for (;;) {
    // By ID: a --rm container's name is free again the moment it is gone.
    const chunk = await call(client, 'containers.logs', { id, after: cursor, follow: true });
    if (detached) return 0;
    writeLogEntries(chunk.entries, false);
    cursor = chunk.cursor;
    // Its exit code comes with the log's end: a --rm container is removed right after.
    if (chunk.ended) return chunk.exitCode ?? 0;
  }
}
