import type { FileChange, FileTable } from './layers.schema.js';

/** Changes as a table of columns, to send. */
export function toFileTable(changes: readonly FileChange[]): FileTable {
  const table: FileTable = { path: [], type: [], size: [], mode: [], uid: [], gid: [], hash: [], linkname: [], change: [] };
  for (const c of changes) {
    table.path.push(c.path);
    table.type.push(c.type);
    table.size.push(c.size);
    table.mode.push(c.mode);
    table.uid.push(c.uid);
    table.gid.push(c.gid);
    table.hash.push(c.hash ?? null);
    table.linkname.push(c.linkname ?? null);
    table.change.push(c.change);
  }
  return table;
}

/** A received table's rows, as the changes they were made from. */
export function fileChangesOf(table: FileTable): FileChange[] {
  return table.path.map((path, i) => {
    const hash = table.hash[i];
    const linkname = table.linkname[i];
    return {
      path,
      type: table.type[i]!,
      size: table.size[i]!,
      mode: table.mode[i]!,
      uid: table.uid[i]!,
      gid: table.gid[i]!,
      ...(hash == null ? {} : { hash }),
      ...(linkname == null ? {} : { linkname }),
      change: table.change[i]!,
    };
  });
}
