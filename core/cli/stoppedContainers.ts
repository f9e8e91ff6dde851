import type { Engine } from '../engine.js';
import { containerPaths } from '../runtime/containerRecord.js';
import { directoryBytes } from '../store/diskUsage.js';

/**
 * `container prune`'s work, also `system prune`'s first step: every stopped or never-started
 * container removed, the bytes each wrote counted before it goes (0 where a machine runs the
 * containers: its disk is the guest's); one that cannot go is said on stderr and counted.
 */
export async function removeStoppedContainers(engine: Engine): Promise<{ removed: string[]; reclaimed: number; failed: number }> {
  const { root } = engine.info();
  const stopped = (await engine.runtime.list(true)).filter((c) => c.state === 'exited' || c.state === 'created');
  const removed: string[] = [];
  let reclaimed = 0;
  let failed = 0;
  for (const c of stopped) {
    const bytes = directoryBytes(containerPaths(root, c.id).dir);
    try {
      await engine.runtime.remove(c.id);
      removed.push(c.id);
      reclaimed += bytes;
    } catch (err) {
      failed++;
      process.stderr.write(`error: cannot remove ${c.name}: ${(err as Error).message}\n`);
    }
  }
  return { removed, reclaimed, failed };
}
