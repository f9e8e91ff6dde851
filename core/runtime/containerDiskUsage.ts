import { directoryBytes } from '../store/diskUsage.js';
import { containerIds, containerPaths } from './containerRecord.js';

/**
 * The bytes each container of the store wrote: its directory (upper layer, log, record), what
 * `container prune` gives back and `system df` counts. A machine's containers have none here.
 */
export function containerDiskUsage(root: string): { id: string; bytes: number }[] {
  return containerIds(root).map((id) => ({ id, bytes: directoryBytes(containerPaths(root, id).dir) }));
}
