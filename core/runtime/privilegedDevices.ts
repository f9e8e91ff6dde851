import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** A device node of the runtime spec's `linux.devices` (config-linux.md, Devices). */
export interface LinuxDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

/** Directories of /dev that are mounts of the container's own (or the host's terminals), not devices to copy. */
const SKIPPED = new Set(['/dev/pts', '/dev/shm', '/dev/mqueue', '/dev/console', '/dev/ptmx']);

/** Linux's dev_t (glibc's gnu_dev_major/minor). */
const major = (rdev: number) => Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
const minor = (rdev: number) => Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));

/**
 * `--privileged`'s devices, as docker gives them: every character and block device under the
 * host's /dev, made in the container's /dev with the host's numbers, owners and modes.
 */
export function hostDevices(dir = '/dev'): LinuxDevice[] {
  const devices: LinuxDevice[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return devices;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (SKIPPED.has(path)) continue;
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) devices.push(...hostDevices(path));
    else {
      const device = deviceNode(path, stat);
      if (device) devices.push(device);
    }
  }
  return devices;
}

/** The device node at `path` as the spec describes one (at the same path); undefined if it is no device. */
export function deviceNode(path: string, stat: Stats): LinuxDevice | undefined {
  if (!stat.isCharacterDevice() && !stat.isBlockDevice()) return undefined;
  return {
    path,
    type: stat.isCharacterDevice() ? 'c' : 'b',
    major: major(stat.rdev),
    minor: minor(stat.rdev),
    fileMode: stat.mode & 0o7777,
    uid: stat.uid,
    gid: stat.gid,
  };
}
