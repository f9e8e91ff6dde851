import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The built CLI (`dist/cli.cjs`), found from the running script: conmon runs it when a container
 * ends. Looks beside the script, then in a `dist/` of each directory above it.
 */
export function findCliScript(start = process.argv[1] ?? process.cwd()): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const candidate of [join(dir, 'cli.cjs'), join(dir, 'dist', 'cli.cjs')]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
