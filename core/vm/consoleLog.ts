import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The last lines of the guest's serial console, readable in an error: control characters and
 * carriage returns gone, at most `count` lines from the file's last 16 kB.
 */
export function consoleTail(path: string, count = 10): string[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 16 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter(Boolean)
      .slice(-count);
  } finally {
    closeSync(fd);
  }
}
