import { checkReference } from '../pull/referenceCheck';

/**
 * The new name for `stevedore tag`: a reference as Pull reads it (the engine's own grammar), but
 * never a digest, which is what the image is and not a name given to it.
 */
export function checkNewTag(text: string): string | null {
  const check = checkReference(text);
  if (!check.ok) return check.problem;
  if (check.reference.digest !== undefined) return 'A tag is a name such as app:2.0; a digest cannot be given. Drop the @….';
  return null;
}
