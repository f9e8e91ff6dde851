import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../oci/descriptor.js';
import { formatPlatform, hostPlatform } from '../oci/platform.js';

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
 * Why RUN steps of `platform` cannot run on this machine, or undefined when they can: its own
 * architecture (and i386 on amd64, which x86-64 kernels run natively), or another one the kernel
 * hands to qemu-user through an enabled binfmt_misc entry, as BuildKit relies on (binfmt). Asked
 * before any step runs, so that a build does not fail at its first RUN after minutes of work.
 */
export function foreignRunProblem(platform: Platform, binfmt = BINFMT_MISC): string | undefined {
  const host = hostPlatform();
  if (platform.os !== 'linux') return `RUN steps for ${formatPlatform(platform)} cannot run: containers here are linux ones`;
  if (platform.architecture === host.architecture) return undefined;
  if (host.architecture === 'amd64' && platform.architecture === '386') return undefined;
  // Only a Linux host's kernel is the one RUN uses; elsewhere the machine's guest decides.
  if (process.platform !== 'linux') return undefined;
  const entry = join(binfmt, `qemu-${qemuName(platform.architecture)}`);
  if (enabled(join(binfmt, 'status')) && enabled(entry)) return undefined;
  return (
    `RUN steps for ${formatPlatform(platform)} need qemu-user registered with binfmt_misc, and ${entry} is not there ` +
    `(install qemu-user-static or qemu-user-binfmt, or build for ${formatPlatform(host)})`
  );
}
