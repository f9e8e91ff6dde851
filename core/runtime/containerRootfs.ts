import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '../system/runTool.js';

/**
 * A container's root filesystem: overlayfs with the image's snapshot as the read-only lower
 * layer and the container's own upper directory, so the snapshot is shared and never changed.
 */
export function mountRootfs(containerDir: string, lower: string): string {
  const [upper, work, rootfs] = ['upper', 'work', 'rootfs'].map((d) => join(containerDir, d)) as [string, string, string];
  for (const d of [upper, work, rootfs]) mkdirSync(d, { recursive: true });
  runTool(
    'mount',
    ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, rootfs],
    'mounting the container filesystem',
  );
  return rootfs;
}

export function unmountRootfs(containerDir: string): void {
  spawnSync('umount', [join(containerDir, 'rootfs')]);
}
