import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** This process's temp files so far: with its pid, a name no other writer takes. */
let written = 0;

export interface AtomicWriteOptions {
  /** fsync before the rename (the default), so a crash cannot leave the new name on empty content. */
  durable?: boolean;
  /** The file's permissions, whatever the umask (a secret's 0600). */
  mode?: number;
}

/**
 * Writes a file so that readers see the old or the new content, never a mix: a temp file beside
 * it, then a rename. Durable by default; `durable: false` skips the fsync, for files on a tmpfs such
 * as /run, or rewritten often and cheap to lose. A write that fails leaves no temp file behind.
 *
 * The temp file is named by the process and a count, with a random part for processes of the same
 * pid in other PID namespaces: no node:crypto, which costs the CLI's launcher ~5 ms to load.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const random = Math.random().toString(36).slice(2, 8);
  const temp = join(dirname(path), `.${basename(path).slice(0, 64)}.${process.pid}-${++written}-${random}.tmp`);
  try {
    const fd = openSync(temp, 'w', options.mode ?? 0o666);
    try {
      if (options.mode !== undefined) fchmodSync(fd, options.mode);
      writeFileSync(fd, content);
      if (options.durable ?? true) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
