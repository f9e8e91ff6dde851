import { StevedoreError } from '../errors.js';
import type { ImageRecord, ImageRecords } from '../images/imageRecords.js';
import type { Platform } from '../oci/descriptor.js';
import { missingInterpreter } from '../oci/hostEmulation.js';
import { formatPlatform, hostPlatform, parsePlatform, platformMatches } from '../oci/platform.js';

function platformOf(image: ImageRecord): Platform {
  const { os, architecture, variant } = image.config;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/**
 * The image a container runs. Without `platform`, the one `ref` names, as the host resolves it;
 * with `platform` (docker's `run --platform`), that platform's manifest of it: an image without
 * one is refused in docker's words, and one this host cannot run (another architecture and no
 * qemu-user for it in binfmt_misc) in one line before anything is made.
 */
export function imageToRun(records: ImageRecords, ref: string, platform?: string): ImageRecord {
  if (platform === undefined) {
    try {
      return records.resolve(ref, { forRootfs: true });
    } catch (err) {
      // A container made with --platform keeps its image by an ID only that platform's manifest has.
      const found = /^sha256:[a-f0-9]{64}$/.test(ref) ? otherPlatformsImage(records, ref) : undefined;
      if (found && err instanceof StevedoreError && err.code === 'IMAGE_NOT_FOUND') return found;
      throw err;
    }
  }
  const wanted = parsePlatform(platform);
  const image = records.resolve(ref, { forRootfs: true });
  const chosen = image.index ? records.resolveTop(image.top, image.refs, wanted) : image;
  if (!platformMatches(wanted, platformOf(chosen))) {
    throw new StevedoreError(
      'IMAGE_NOT_FOUND',
      `image with reference ${ref} was found but does not match the specified platform: wanted ${formatPlatform(wanted)}, actual: ${formatPlatform(platformOf(image))}`,
    );
  }
  const actual = platformOf(chosen);
  const host = hostPlatform();
  if (actual.os !== 'linux') {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `the image ${ref} for ${formatPlatform(actual)} cannot run on this host: containers here are linux ones`,
    );
  }
  const entry = missingInterpreter(actual);
  if (entry !== undefined) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `the image ${ref} for ${formatPlatform(actual)} cannot run on this host (${formatPlatform(host)}): it needs qemu-user ` +
        `registered with binfmt_misc, and ${entry} is not there (install qemu-user-static or qemu-user-binfmt)`,
    );
  }
  return chosen;
}

/** The stored manifest of a multi-platform image, for a platform other than the host's, whose config is `id`. */
function otherPlatformsImage(records: ImageRecords, id: string): ImageRecord | undefined {
  for (const image of records.all().images) {
    for (const entry of image.index?.manifests ?? []) {
      if (!entry.platform) continue;
      try {
        const candidate = records.resolveTop(image.top, image.refs, entry.platform as Platform);
        if (candidate.configDigest === id) return candidate;
      } catch {
        // that manifest is not stored
      }
    }
  }
  return undefined;
}
