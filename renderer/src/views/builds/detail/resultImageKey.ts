import type { ImageSummary } from '../../../../../core/api/images.schema';
import { imageKey } from '../../images/imageRows';
import { checkReference } from '../../pull/referenceCheck';

/**
 * The Images view's row key for a built image: the row of one of the build's own tags when the
 * store still names it so, else any row of that image ID (a tag may have moved on since), else
 * null (the image is gone).
 */
export function resultImageKey(images: readonly ImageSummary[], imageId: string, tags: readonly string[]): string | null {
  const names = new Set(
    tags.map((t) => {
      const check = checkReference(t);
      return check.ok ? check.reference.normalized : t;
    }),
  );
  const rows = images.filter((i) => i.id === imageId);
  const row = rows.find((r) => r.reference !== null && names.has(r.reference)) ?? rows[0];
  return row ? imageKey(row) : null;
}
