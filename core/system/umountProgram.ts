import { readFileSync, statSync } from 'node:fs';
import { toolPath } from './toolPath.js';

/** BusyBox lists its applets' names in its binary, each between NUL bytes. */
const UMOUNT_APPLET = Buffer.from('\0umount\0');

/** Far larger than any BusyBox: a file this big is not read to look for the applet. */
const BUSYBOX_MAX_BYTES = 16 * 1024 * 1024;

let chosen: string | null | undefined;

/**
 * The lightest `umount` there is, for a hook that runs at the end of every container (runc waits
 * for it), run with argv[0] `umount`: BusyBox where it has that applet (it picks the applet by
 * argv[0]), otherwise util-linux's. util-linux's loads libmount, libblkid, libselinux and pcre2
 * and reads the mount table before it unmounts: 3.6 ms over /bin/true on the benchmark machine,
 * against BusyBox's 0.8. Null without either. Chosen once per process; whether BusyBox has the
 * applet is read from its binary (~2 MB), not found by running it.
 */
export function umountPath(): string | null {
  chosen ??= umountOn(process.env.PATH ?? '');
  return chosen;
}

/** umountPath's choice among the programs on `path` (and the sbin directories). */
export function umountOn(path: string): string | null {
  const busybox = toolPath('busybox', path);
  return busybox && hasUmountApplet(busybox) ? busybox : toolPath('umount', path);
}

function hasUmountApplet(binary: string): boolean {
  try {
    return statSync(binary).size <= BUSYBOX_MAX_BYTES && readFileSync(binary).includes(UMOUNT_APPLET);
  } catch {
    return false;
  }
}
