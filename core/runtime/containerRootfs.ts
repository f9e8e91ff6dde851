import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMounted } from '../system/mountTable.js';
import { runTool } from '../system/runTool.js';

/**
 * A container's root filesystem: overlayfs with the image's snapshot as the read-only lower
 * layer and the container's own upper directory, so the snapshot is shared and never changed.
 * Where overlayfs can't be mounted, the snapshot is copied instead. Mounting again is a no-op.
 */
export function mountRootfs(containerDir: string, lower: string): string {
  const [upper, work, rootfs] = ['upper', 'work', 'rootfs'].map((d) => join(containerDir, d)) as [string, string, string];
  const copied = join(containerDir, 'rootfs.copied');
  if (isMounted(rootfs) || existsSync(copied)) return rootfs;
  for (const d of [upper, work, rootfs]) mkdirSync(d, { recursive: true });
  const overlay = spawnSync(
    'mount',
    ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, rootfs],
    { encoding: 'utf8' },
  );
  if (overlay.status !== 0 && !isMounted(rootfs)) {
    // No overlayfs here (some kernels, some nested setups): a private copy, made once.
    rmSync(rootfs, { recursive: true, force: true });
    mkdirSync(rootfs);
    runTool('cp', ['-a', `${lower}/.`, `${rootfs}/`], 'copying the image’s files for the container');
    writeFileSync(copied, '');
  }
  return rootfs;
}

/** mountRootfs without blocking, for when there is other work to do meanwhile (a network to set up). */
export async function mountRootfsInBackground(containerDir: string, lower: string): Promise<string> {
  const [upper, work, rootfs] = ['upper', 'work', 'rootfs'].map((d) => join(containerDir, d)) as [string, string, string];
  if (isMounted(rootfs) || existsSync(join(containerDir, 'rootfs.copied'))) return rootfs;
  for (const d of [upper, work, rootfs]) mkdirSync(d, { recursive: true });
  const options = `lowerdir=${lower},upperdir=${upper},workdir=${work}`;
  const mounted = await new Promise<boolean>((resolve) =>
    execFile('mount', ['-t', 'overlay', 'overlay', '-o', options, rootfs], (err) => resolve(!err)),
  );
  // Where overlayfs fails, the synchronous path makes the copy and says why if that fails too.
  return mounted ? rootfs : mountRootfs(containerDir, lower);
}

export async function unmountRootfsInBackground(containerDir: string): Promise<void> {
  const rootfs = join(containerDir, 'rootfs');
  if (!isMounted(rootfs)) return;
  await new Promise<void>((resolve) => execFile('umount', [rootfs], () => resolve()));
}

export function unmountRootfs(containerDir: string): void {
  const rootfs = join(containerDir, 'rootfs');
  if (isMounted(rootfs)) spawnSync('umount', [rootfs]);
}
