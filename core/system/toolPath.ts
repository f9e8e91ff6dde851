import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where `tool` is: the first executable of that name on PATH, then in the sbin directories (a
 * normal user's PATH often lacks them); null when there is none. For what needs an absolute path,
 * as an OCI hook does, and for naming what is missing.
 */
export function toolPath(tool: string, path = process.env.PATH ?? ''): string | null {
  const dirs = [...path.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
