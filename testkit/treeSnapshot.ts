import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeEntry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: string;
  uid: number;
  gid: number;
  sha256?: string;
  target?: string;
  /** Every path of a hard-link group, the same list on each member. */
  links?: string[];
}

/** A directory tree as a comparable value: what two unpackers must agree on. */
export function snapshotTree(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const inodes = new Map<number, string[]>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path);
      const entry: TreeEntry = {
        type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other',
        mode: (st.mode & 0o7777).toString(8),
        uid: st.uid,
        gid: st.gid,
      };
      if (st.isSymbolicLink()) {
        entry.target = readlinkSync(path);
        entry.mode = 'link';
      }
      if (st.isFile()) {
        entry.sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
        if (st.nlink > 1) inodes.set(st.ino, [...(inodes.get(st.ino) ?? []), key]);
      }
      out[key] = entry;
      if (st.isDirectory()) walk(path, key);
    }
  };
  walk(root, '');
  for (const paths of inodes.values()) for (const p of paths) out[p]!.links = [...paths].sort();
  return out;
}
