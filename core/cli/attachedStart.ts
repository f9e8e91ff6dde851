import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { writeLogEntries } from '../runtime/logOutput.js';

/**
 * docker's `start -a`: starts the container and prints its output until it ends, then exits with
 * its exit code. The output is followed from its log (from where it stood before the start), so
 * that a run of a container that had run before prints only this run's lines.
 */
export async function startAttached(engine: Engine, ref: string): Promise<number> {
  const runtime = engine.runtime;
  const current = await runtime.inspect(ref);
  if (current.state === 'running' || current.state === 'paused') {
    throw new StevedoreError('CONFLICT', `container ${current.name} is already running: use logs -f to follow it`);
  }
  let cursor = (await runtime.logs(ref, { tail: 0 })).cursor;
  await runtime.start(ref);
  for (;;) {
    const chunk = await runtime.logs(ref, { after: cursor, follow: true });
    writeLogEntries(chunk.entries, false);
    cursor = chunk.cursor;
    if (chunk.ended) break;
  }
  const ended = await runtime.inspect(ref);
  return ended.exitCode ?? 0;
}
