import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from './descriptor.js';
import { hostPlatform } from './platform.js';

/** Where the kernel lists the interpreters it runs foreign binaries with. */
export const BINFMT_MISC = '/proc/sys/fs/binfmt_misc';

/** The name qemu-user (and its binfmt_misc entry, `qemu-<name>`) gives an OCI architecture. */
const QEMU_NAMES: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'arm',
  '386': 'i386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64el',
  mips64: 'mips64',
  loong64: 'loongarch64',
};

export function qemuName(architecture: string): string {
  return QEMU_NAMES[architecture] ?? architecture;
}

function enabled(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').startsWith('enabled');
  } catch {
    return false;
  }
}

/**
 * The binfmt_misc entry this machine lacks to run `platform`'s Linux binaries, or undefined when
 * it runs them: its own architecture (and i386 on amd64, which x86-64 kernels run natively), or
 * another one the kernel hands to qemu-user through an enabled entry, as BuildKit relies on
 * (binfmt). Off Linux the machine's guest decides, so nothing is said here.
 */
export function missingInterpreter(platform: Platform, binfmt = BINFMT_MISC): string | undefined {
  const host = hostPlatform();
  if (platform.architecture === host.architecture) return undefined;
  if (host.architecture === 'amd64' && platform.architecture === '386') return undefined;
  if (process.platform !== 'linux') return undefined;
  const entry = join(binfmt, `qemu-${qemuName(platform.architecture)}`);
  return enabled(join(binfmt, 'status')) && enabled(entry) ? undefined : entry;
}
