import { createHash, getHashes } from 'node:crypto';
import { chmodSync, createWriteStream, utimesSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StevedoreError } from '../errors.js';
import type { FetchedUrl } from '../registry/urlFetch.js';

/** Fetches a URL (the engine's registry HTTP stack: urlFetch.ts). */
export type UrlFetcher = (url: string, signal?: AbortSignal) => Promise<FetchedUrl>;

/** `ADD <src>` names a remote file when it is an http(s) URL (BuildKit's isHTTPSource). */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * The file name an ADD of `url` gives: the URL path's last part, or `__unnamed__` when it has
 * none, as BuildKit's dockerfile2llb does (`path.Base(u.Path)`, `.` and `/` being no name).
 */
export function urlFileName(url: string): string {
  const raw = new URL(url).pathname;
  let path = raw;
  try {
    // Go's u.Path is the decoded path: `%2F` is a separator there too.
    path = decodeURIComponent(raw);
  } catch {
    // not valid percent-encoding: the path as written
  }
  const base = posix.basename(path);
  // `..` is no file name either: it would name the directory above the download's.
  return base === '' || base === '.' || base === '..' || base === '/' ? '__unnamed__' : base;
}

/** `--checksum=ALG:HEX` as go-digest parses it: sha256, sha384 or sha512 and lower-case hex. */
function parseChecksum(text: string): { algorithm: string; hex: string } {
  const m = /^(sha256|sha384|sha512):([a-f0-9]+)$/.exec(text);
  const lengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
  if (!m || m[2]!.length !== lengths[m[1]!] || !getHashes().includes(m[1]!)) {
    throw new StevedoreError('INVALID_ARGUMENT', `ADD --checksum=${text}: expected sha256:<64 hex digits> (or sha384, sha512)`);
  }
  return { algorithm: m[1]!, hex: m[2]! };
}

/**
 * ADD's URL sources fetched into `dir`, each as BuildKit's http source writes it: named after
 * the URL (urlFileName), mode 0600, its mtime from Last-Modified when the server sent one; never
 * unpacked. With `checksum` (one URL only) the bytes must have that digest, or the step fails
 * naming both. Returns the names written, in the order given.
 */
export async function fetchUrlSources(
  urls: string[],
  checksum: string | undefined,
  dir: string,
  fetch: UrlFetcher,
  signal?: AbortSignal,
): Promise<string[]> {
  const expected = checksum === undefined ? undefined : parseChecksum(checksum);
  const names: string[] = [];
  for (const url of urls) {
    const name = urlFileName(url);
    const path = join(dir, name);
    const fetched = await fetch(url, signal);
    const hash = createHash(expected?.algorithm ?? 'sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(fetched.body, hashing, createWriteStream(path, { mode: 0o600 }));
    const actual = hash.digest('hex');
    if (expected && actual !== expected.hex) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `ADD ${url}: checksum mismatch: --checksum says ${expected.algorithm}:${expected.hex}, the file fetched is ${expected.algorithm}:${actual}`,
      );
    }
    chmodSync(path, 0o600);
    if (fetched.lastModified) utimesSync(path, fetched.lastModified, fetched.lastModified);
    names.push(name);
  }
  return names;
}
