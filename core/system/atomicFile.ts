import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writes a file so that readers see the old or the new content, never a mix: a temp file beside
 * it, then a rename. Durable by default (fsync before the rename, so a crash cannot leave the new
 * name on empty content); `durable: false` skips the fsync, for files on a tmpfs such as /run or
 * that are rewritten often and cheap to lose.
 */
export function writeFileAtomic(path: string, content: string, options: { durable?: boolean } = {}): void {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, content);
    if (options.durable ?? true) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
