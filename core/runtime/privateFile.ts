import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';

/**
 * A container's files hold its environment (`-e` values: passwords, tokens), so they are the
 * store owner's alone whatever the umask and wherever the store lives: files 0600, directories
 * 0700 (as podman keeps its containers' directories).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Writes `content` to `path`, 0600 from its creation on (and made so if it was there before). */
export function writePrivateFile(path: string, content: string): void {
  const fd = openSync(path, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** Creates `dir` (and its parents) if missing, and makes `dir` itself 0700. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}
