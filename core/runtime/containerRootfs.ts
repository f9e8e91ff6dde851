import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { isMounted } from '../system/mountTable.js';
import { mountOverlay, mountWith } from '../system/overlayMount.js';
import { runTool } from '../system/runTool.js';
import { unmount } from '../system/unmountBatch.js';

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

const DRIVERS = ['overlay', 'fuse-overlayfs', 'copy'] as const;
type RootfsDriver = (typeof DRIVERS)[number];

/**
 * How container root filesystems are made: each of kernel overlayfs, fuse-overlayfs (for a user
 * namespace whose kernel refuses overlayfs, as rootless podman's fallback) and a private copy is
 * tried in turn; $STEVEDORE_ROOTFS names one to use alone (and then its failure is the error).
 */
function rootfsDrivers(env: NodeJS.ProcessEnv = process.env): readonly RootfsDriver[] {
  const asked = env.STEVEDORE_ROOTFS;
  if (asked === undefined || asked === '') return DRIVERS;
  if (!(DRIVERS as readonly string[]).includes(asked))
    throw new StevedoreError('INVALID_ARGUMENT', `invalid STEVEDORE_ROOTFS "${asked}": use overlay, fuse-overlayfs or copy`);
  return [asked as RootfsDriver];
}

/**
 * A container's root filesystem: an overlay with the image's snapshot as the read-only lower
 * layer and the container's own upper directory, so the snapshot is shared and never changed.
 * Where no overlay can be mounted, the snapshot is copied instead (copyRootfs). Mounting again
 * is a no-op. Does not block, for there is other work to do meanwhile (a network to set up).
 * `scratch`: the upper directory is thrown away with the container (`run --rm`), so the kernel's
 * overlay is mounted as a scratch one (volatile: no fsync per copied-up file, no sync of the
 * disk at unmount), as podman mounts a `--rm` container's.
 */
export async function mountRootfs(containerDir: string, lower: string, scratch = false): Promise<string> {
  const { upper, work, rootfs, copied } = rootfsDirs(containerDir);
  if (isMounted(rootfs) || existsSync(copied)) return rootfs;
  const drivers = rootfsDrivers();
  for (const d of [upper, work, rootfs]) mkdirSync(d, { recursive: true });
  const options = `lowerdir=${lower},upperdir=${upper},workdir=${work}`;
  const failures: string[] = [];
  for (const driver of drivers) {
    if (driver === 'copy') return copyRootfs(containerDir, lower);
    const failure =
      driver === 'overlay'
        ? await mountOverlay(options, rootfs, scratch ? work : undefined)
        : await mountWith('fuse-overlayfs', ['-o', options, rootfs]);
    if (failure === null || isMounted(rootfs)) return rootfs;
    failures.push(`${driver}: ${failure}`);
  }
  throw new StevedoreError('INTERNAL', `cannot mount the container's filesystem (${failures.join('; ')})`);
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

/** Unmounts a container's root filesystem if it is mounted, awaited: an engine keeps serving meanwhile. */
export async function unmountRootfs(containerDir: string): Promise<void> {
  const { rootfs } = rootfsDirs(containerDir);
  if (isMounted(rootfs)) await unmount(rootfs);
}
