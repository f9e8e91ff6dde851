import { readFileSync, statSync } from 'node:fs';
import { toolPath } from './toolPath.js';

/** Far larger than any BusyBox: a file this big is not read to look for an applet. */
const BUSYBOX_MAX_BYTES = 16 * 1024 * 1024;

type Tool = 'mount' | 'umount';

/** A command line that runs the tool: the program's path, then its arguments (BusyBox's: the applet). */
export type ToolCommand = [path: string, ...args: string[]];

const chosen = new Map<Tool, ToolCommand | null>();

/**
 * `mount` and `umount`, which every container's start and end wait for: BusyBox's applets where
 * BusyBox has them, util-linux's otherwise. util-linux's load libmount, libblkid, libselinux and
 * pcre2 and read the mount table before they do anything; on the benchmark machine an overlay
 * mount took 5.6 ms with util-linux's and 3.0 with BusyBox's, an unmount 3.6 ms over /bin/true
 * against 0.8. Null without either. Chosen once per process; whether BusyBox has the applet is
 * read from its binary (~2 MB), not found by running it.
 */
export function mountTool(tool: Tool): ToolCommand | null {
  if (!chosen.has(tool)) chosen.set(tool, mountToolOn(tool, process.env.PATH ?? ''));
  return chosen.get(tool) ?? null;
}

/** mountTool's choice among the programs on `path` (and the sbin directories). */
export function mountToolOn(tool: Tool, path: string): ToolCommand | null {
  const busybox = toolPath('busybox', path);
  if (busybox && busyboxApplets(busybox).has(tool)) return [busybox, tool];
  const own = toolPath(tool, path);
  return own ? [own] : null;
}

const TOOLS: readonly Tool[] = ['mount', 'umount'];

/** Each BusyBox binary's applets among the tools, by its path, size and time: read once for both. */
const appletsSeen = new Map<string, Set<Tool>>();

/** BusyBox lists its applets' names in its binary, each between NUL bytes. */
function busyboxApplets(binary: string): Set<Tool> {
  const applets = new Set<Tool>();
  try {
    const { size, mtimeMs } = statSync(binary);
    const key = `${binary}\0${size}\0${mtimeMs}`;
    const seen = appletsSeen.get(key);
    if (seen) return seen;
    if (size <= BUSYBOX_MAX_BYTES) {
      const contents = readFileSync(binary);
      for (const tool of TOOLS) if (contents.includes(Buffer.from(`\0${tool}\0`))) applets.add(tool);
    }
    appletsSeen.set(key, applets);
  } catch {
    // unreadable: none
  }
  return applets;
}
