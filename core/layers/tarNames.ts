import type { Header } from 'tar-stream';
import { StevedoreError } from '../errors.js';

// A tar stores names as bytes. tar-stream decodes them as UTF-8 by default, turning every
// invalid byte into U+FFFD, so a layer's "caf\xE9" would have been written as "caf\uFFFD": a
// name the layer does not hold, without a word. The reader asks tar-stream for latin1 (one
// character per byte, nothing lost) and this turns the bytes into the UTF-8 name they are, or
// refuses the entry. PAX records (path, linkpath) are always decoded as UTF-8 by tar-stream,
// so a U+FFFD there may stand for bytes that were lost; it is refused too.

/** What the reader passes to tar-stream's extract: names as their bytes. */
export const TAR_NAME_ENCODING = 'latin1';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Turns `header.name` and `header.linkname`, read as latin1 (or UTF-8 from PAX), into their UTF-8 names. */
export function decodeTarNames(header: Header): void {
  const pax = (header.pax ?? {}) as Record<string, string>;
  header.name = decodeName(header.name, pax.path !== undefined, header.name);
  if (header.linkname) header.linkname = decodeName(header.linkname, pax.linkpath !== undefined, header.name);
}

function decodeName(raw: string, fromPax: boolean, entry: string): string {
  if (fromPax) {
    if (raw.includes('\uFFFD')) throw undecodable(entry);
    return raw;
  }
  if (!/[\x80-\xff]/.test(raw)) return raw;
  try {
    return utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    throw undecodable(entry);
  }
}

function undecodable(entry: string): StevedoreError {
  const shown = entry.replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return new StevedoreError(
    'INVALID_ARCHIVE',
    `refusing layer entry "${shown}": its name is not valid UTF-8, and it is refused rather than written under another name`,
  );
}
