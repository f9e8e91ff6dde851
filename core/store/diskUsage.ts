import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The bytes a directory tree takes on disk (allocated blocks, as `du` counts them), staying on
 * its own file system: a running container's rootfs is an overlay mount whose lower layers are
 * the snapshots', counted there already. A missing directory is 0.
 */
export function directoryBytes(dir: string): number {
  const top = lstatSync(dir, { throwIfNoEntry: false });
  if (!top) return 0;
  let bytes = 0;
  const seen = new Set<string>();
  const stack = [dir];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const st = lstatSync(path, { throwIfNoEntry: false, bigint: false });
    if (!st || st.dev !== top.dev) continue;
    // A hard link is one file however many names it has.
    if (st.nlink > 1) {
      const inode = `${st.ino}`;
      if (seen.has(inode)) continue;
      seen.add(inode);
    }
    bytes += st.blocks * 512;
    if (!st.isDirectory()) continue;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      continue;
    }
    for (const name of names) stack.push(join(path, name));
  }
  return bytes;
}
