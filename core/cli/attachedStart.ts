import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { attachStdio } from '../runtime/attachStdio.js';
import { writeLogEntries } from '../runtime/logOutput.js';

/**
 * docker's `start -a`: starts the container and prints its output until it ends, then exits with
 * its exit code. The output is followed from its log (from where it stood before the start), so
 * that a run of a container that had run before prints only this run's lines. With `-i`
 * (`detachKeys` given), this process's stdin goes to the container through its attach socket,
 * and the detach keys leave it running.
 */
export async function startAttached(engine: Engine, ref: string, detachKeys?: Buffer): Promise<number> {
  const runtime = engine.runtime;
  const current = await runtime.inspect(ref);
  if (current.state === 'running' || current.state === 'paused') {
    throw new StevedoreError('CONFLICT', `container ${current.name} is already running: use logs -f to follow it`);
  }
  const attacher = detachKeys ? engine.containerAttacher() : undefined;
  let cursor = (await runtime.logs(ref, { tail: 0 })).cursor;
  await runtime.start(ref);
  let detached = false;
  if (attacher && detachKeys) {
    // A container that has already ended has no stdin to give: its output is in the log all the same.
    const connection = await attacher.attach(ref).catch(() => undefined);
    if (connection) {
      void attachStdio(connection, {
        stdin: connection.interactive,
        output: false,
        tty: connection.tty,
        sigProxy: true,
        detachKeys,
        kill: (signal) => runtime.kill(ref, signal),
      }).then((how) => {
        if (how !== 'detached') return;
        detached = true;
        // The log follow below waits on the log file for a while: a detach ends this process now.
        process.stdout.write('', () => process.exit(0));
      });
    }
  }
  for (;;) {
    const chunk = await runtime.logs(ref, { after: cursor, follow: true });
    if (detached) return 0;
    writeLogEntries(chunk.entries, false);
    cursor = chunk.cursor;
    if (chunk.ended) break;
  }
  const ended = await runtime.inspect(ref);
  return ended.exitCode ?? 0;
}
