import type { ImageRecord, ImageRecords } from '../images/imageRecords.js';
import type { Platform } from '../oci/descriptor.js';
import { platformMatches } from '../oci/platform.js';

/**
 * The image of `platform` under a stored name (a multi-platform index's manifest for it), or
 * undefined when the store has none of that platform; without a platform, the image as found.
 */
export function imageForPlatform(records: ImageRecords, image: ImageRecord, platform?: Platform): ImageRecord | undefined {
  if (!platform) return image;
  const chosen = image.index ? records.resolveTop(image.top, image.refs, platform) : image;
  const { os, architecture, variant } = chosen.config;
  return platformMatches(platform, { os, architecture, ...(variant ? { variant } : {}) }) ? chosen : undefined;
}
