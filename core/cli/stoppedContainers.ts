import { call, type EngineClient } from '../api/engineClient.js';

/**
 * `container prune`'s work, also `system prune`'s first step: every stopped or never-started
 * container removed, the bytes each wrote counted before it goes (0 where a machine runs the
 * containers: its disk is the guest's); one that cannot go is said on stderr and counted.
 */
export async function removeStoppedContainers(
  client: EngineClient,
): Promise<{ removed: string[]; reclaimed: number; failed: number }> {
  const stopped = (await call(client, 'containers.list', { all: true })).filter(
    (c) => c.state === 'exited' || c.state === 'created',
  );
  const written = new Map((await call(client, 'containers.diskUsage', {})).map((u) => [u.id, u.bytes]));
  const removed: string[] = [];
  let reclaimed = 0;
  let failed = 0;
  for (const c of stopped) {
    try {
      await call(client, 'containers.remove', { id: c.id });
      removed.push(c.id);
      reclaimed += written.get(c.id) ?? 0;
    } catch (err) {
      failed++;
      process.stderr.write(`error: cannot remove ${c.name}: ${(err as Error).message}\n`);
    }
  }
  return { removed, reclaimed, failed };
}
