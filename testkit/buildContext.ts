import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Makes build contexts under `parent`, one new directory each: files by relative path (a
 * trailing `/` makes a directory), then symlinks (path → target, as written).
 */
export function contextMaker(parent: string): (files: Record<string, string>, links?: Record<string, string>) => string {
  let made = 0;
  return (files, links = {}) => {
    const dir = join(parent, `ctx${++made}`);
    mkdirSync(dir, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      if (path.endsWith('/')) {
        mkdirSync(join(dir, path), { recursive: true });
        continue;
      }
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    for (const [path, target] of Object.entries(links)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      symlinkSync(target, join(dir, path));
    }
    return dir;
  };
}
