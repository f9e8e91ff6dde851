import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** Set once a kernel refused `volatile` (before Linux 5.10), so later mounts do not ask again. */
let volatileRefused = false;

/**
 * The overlay options to try in turn for an overlay whose upper directory is scratch (thrown away,
 * or read into a layer that the store then writes and syncs itself): `volatile` first, so
 * overlayfs skips the fsync it otherwise does for every file it copies up (a `RUN chown -R` over
 * 200 files took a second of syncs) and the sync of the whole upper filesystem at unmount (which
 * waits for every other writer's dirty pages on that disk), then plain for kernels without it.
 * A volatile overlay leaves `work/incompat/volatile` behind and overlayfs refuses to mount that
 * work directory again; for scratch that marker is removed first (a crash's upper directory is
 * thrown away with the rest). `options` is overlay's lowerdir/upperdir/workdir.
 */
export function scratchOverlayOptions(options: string, workdir: string): string[] {
  rmSync(join(workdir, 'work', 'incompat', 'volatile'), { recursive: true, force: true });
  return volatileRefused ? [options] : [`${options},volatile`, options];
}

/** Notes that a mount with the first of scratchOverlayOptions failed and the plain one worked. */
export function volatileWasRefused(): void {
  volatileRefused = true;
}

/** Mounts a scratch overlay (scratchOverlayOptions); returns the failure (mount's last line) or null once mounted. */
export function mountScratchOverlay(options: string, workdir: string, target: string): string | null {
  let failure = '';
  for (const [i, tried] of scratchOverlayOptions(options, workdir).entries()) {
    const r = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', tried, target], { encoding: 'utf8' });
    if (r.status === 0) {
      if (i > 0) volatileWasRefused();
      return null;
    }
    failure = (r.stderr || r.error?.message || 'mount failed').trim().split('\n').at(-1) ?? '';
  }
  return failure;
}
