import { readFileSync } from 'node:fs';

/** A mount point as /proc/self/mountinfo writes it: spaces and the like as octal escapes. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Whether something is mounted at `path` in this process's mount namespace. */
export function isMounted(path: string): boolean {
  return mountedAmong([path]).length > 0;
}

/** Those of `paths` that something is mounted at, from one read of the mount table. */
export function mountedAmong(paths: string[]): string[] {
  const points = new Set(
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => unescapeMountPath(line.split(' ')[4] ?? '')),
  );
  return paths.filter((path) => points.has(path));
}
