import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMounted } from '../system/mountTable.js';
import { runTool } from '../system/runTool.js';

/** Where a container's root filesystem lives in its directory, mounted or copied. */
function rootfsDirs(containerDir: string) {
  return {
    upper: join(containerDir, 'upper'),
    work: join(containerDir, 'work'),
    rootfs: join(containerDir, 'rootfs'),
    /** Present once the snapshot was copied in place of an overlay mount. */
    copied: join(containerDir, 'rootfs.copied'),
  };
}

/**
 * A container's root filesystem: overlayfs with the image's snapshot as the read-only lower
 * layer and the container's own upper directory, so the snapshot is shared and never changed.
 * Where overlayfs can't be mounted, the snapshot is copied instead (copyRootfs). Mounting again
 * is a no-op. Does not block, for there is other work to do meanwhile (a network to set up).
 */
export async function mountRootfs(containerDir: string, lower: string): Promise<string> {
  const { upper, work, rootfs, copied } = rootfsDirs(containerDir);
  if (isMounted(rootfs) || existsSync(copied)) return rootfs;
  for (const d of [upper, work, rootfs]) mkdirSync(d, { recursive: true });
  const options = `lowerdir=${lower},upperdir=${upper},workdir=${work}`;
  const mounted = await new Promise<boolean>((resolve) =>
    execFile('mount', ['-t', 'overlay', 'overlay', '-o', options, rootfs], (err) => resolve(!err)),
  );
  return mounted || isMounted(rootfs) ? rootfs : copyRootfs(containerDir, lower);
}

/** No overlayfs here (some kernels, some nested setups): a private copy of the snapshot, made once. */
export function copyRootfs(containerDir: string, lower: string): string {
  const { rootfs, copied } = rootfsDirs(containerDir);
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(rootfs);
  runTool('cp', ['-a', `${lower}/.`, `${rootfs}/`], 'copying the image’s files for the container');
  writeFileSync(copied, '');
  return rootfs;
}

export async function unmountRootfsInBackground(containerDir: string): Promise<void> {
  const { rootfs } = rootfsDirs(containerDir);
  if (!isMounted(rootfs)) return;
  await new Promise<void>((resolve) => execFile('umount', [rootfs], () => resolve()));
}

export function unmountRootfs(containerDir: string): void {
  const { rootfs } = rootfsDirs(containerDir);
  if (isMounted(rootfs)) spawnSync('umount', [rootfs]);
}
