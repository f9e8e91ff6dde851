import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { StevedoreError } from '../../errors.js';

/**
 * Docker's copy-up: an empty volume mounted where the image has a directory is first filled
 * with that directory's content, modes, owners and links as they are (`cp -a`, which copies a
 * link as a link, so nothing outside the image is read). `imageDir` must already be resolved
 * inside the container's rootfs. The volume's root takes the directory's mode and owner.
 */
export function fillFromImage(imageDir: string, volumeData: string): void {
  const source = lstatSync(imageDir, { throwIfNoEntry: false });
  if (!source?.isDirectory()) return;
  if (readdirSync(volumeData).length > 0) return;
  const copy = spawnSync('cp', ['-a', '--', `${imageDir}/.`, volumeData], { encoding: 'utf8' });
  if (copy.status !== 0) {
    throw new StevedoreError(
      'INTERNAL',
      `cannot fill the volume from the image: ${(copy.stderr || copy.error?.message || '').trim()}`,
    );
  }
}
