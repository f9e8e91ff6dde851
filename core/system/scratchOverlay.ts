import { spawnSync } from 'node:child_process';

/** Set once a kernel refused `volatile` (before Linux 5.10), so later mounts do not ask again. */
let volatileRefused = false;

/**
 * Mounts an overlay whose upper directory is scratch: thrown away, or read into a layer that the
 * store then writes and syncs itself (a build step, a build's rw bind mount). It is mounted
 * `volatile`, so overlayfs skips the fsync it otherwise does for every file it copies up: a
 * `RUN chown -R` over 200 files took a second of syncs. After a crash such an upper directory is
 * refused by overlayfs, which is right for scratch (the step is run again). Kernels without the
 * option get a plain overlay. `options` is overlay's lowerdir/upperdir/workdir; returns the
 * failure (mount's last line) or null once mounted.
 */
export function mountScratchOverlay(options: string, target: string): string | null {
  let failure = '';
  for (const volatile of volatileRefused ? [false] : [true, false]) {
    const r = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', volatile ? `${options},volatile` : options, target], {
      encoding: 'utf8',
    });
    if (r.status === 0) return null;
    failure = (r.stderr || r.error?.message || 'mount failed').trim().split('\n').at(-1) ?? '';
    if (volatile) volatileRefused = true;
  }
  return failure;
}
