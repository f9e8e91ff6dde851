import { familiarReference, parseReference } from '../oci/reference.js';
import { shortId } from '../text/humanize.js';

/** How an image is named to people: its first name in docker's short form, else its short ID. */
export function displayName(image: { refs: readonly string[]; configDigest: string }): string {
  const first = image.refs[0];
  return first ? familiarReference(parseReference(first)) : shortId(image.configDigest);
}
