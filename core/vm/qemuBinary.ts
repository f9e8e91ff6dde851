import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { MachineError } from './machineError.js';

export const QEMU_PROGRAM = 'qemu-system-x86_64';
/** The Debian package that ships it (the error names it; scripts/system-packages.mjs installs it). */
export const QEMU_PACKAGE = 'qemu-system-x86';

export interface QemuBinary {
  path: string;
  /** The first line of `--version`, e.g. "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)". */
  version: string;
}

/** Where `program` is on PATH (and in /usr/sbin, /sbin, which a normal user's PATH may lack). */
export function findProgram(program: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/sbin']) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

export function findQemu(path?: string): QemuBinary {
  const found = findProgram(QEMU_PROGRAM, path);
  const r = found ? spawnSync(found, ['--version'], { encoding: 'utf8', timeout: 10_000 }) : undefined;
  if (!found || !r || r.status !== 0) {
    throw new MachineError(
      'no-qemu',
      `QEMU is not installed: the VM needs ${QEMU_PROGRAM}, from the ${QEMU_PACKAGE} package (apt-get install ${QEMU_PACKAGE}).`,
    );
  }
  return { path: found, version: r.stdout.split('\n')[0]?.trim() ?? '' };
}

/**
 * qboot, the minimal firmware QEMU ships beside SeaBIOS (Debian's qemu-system-data), from the
 * data directory of QEMU's own prefix. It only loads the kernel QEMU was given, with none of
 * SeaBIOS's device scan: under TCG here the guest's kernel started ~0.25 s sooner after QEMU did
 * (the gap between QEMU's start and the guest's uptime, medians of 8 boots each, alternated: 534
 * against 796 ms).
 */
export function qbootFirmware(qemu: QemuBinary): string | undefined {
  const file = join(dirname(dirname(qemu.path)), 'share', 'qemu', 'qboot.rom');
  return existsSync(file) ? file : undefined;
}
