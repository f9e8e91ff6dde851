import type { ImageRecord } from '../images/imageRecords.js';
import { formatReference, parseReference } from '../oci/reference.js';

/**
 * The full name `text` gives `image` when it is one of the image's names (`box` for
 * `docker.io/library/box:latest`); undefined when `text` is an ID, a prefix, or a name the
 * image does not carry. rmi untags by it, save keeps it in the archive, push pushes to it.
 */
export function givenName(image: ImageRecord, text: string): string | undefined {
  let full: string;
  try {
    full = formatReference(parseReference(text));
  } catch {
    return undefined;
  }
  return image.refs.includes(full) ? full : undefined;
}
