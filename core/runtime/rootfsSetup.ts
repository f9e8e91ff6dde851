import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import type { Mount } from './runtimeSpec.js';

/** Where the spec mounts kernel filesystems: a working directory there would be the host's (CVE-2024-21626). */
const KERNEL_MOUNTS = ['/proc', '/sys', '/dev'];

/** `path` inside the rootfs, with links followed but kept inside; returned as the container sees it. */
export function confined(rootfs: string, path: string): { host: string; inside: string } {
  const host = resolveInRoot(rootfs, path, true);
  return { host, inside: `/${relative(rootfs, host)}` };
}

export function underKernelMount(inside: string): boolean {
  return KERNEL_MOUNTS.some((m) => inside === m || inside.startsWith(`${m}/`));
}

/**
 * The process's working directory, as image-spec says: created when missing, resolved inside the
 * rootfs (never through a link out), refused in a kernel filesystem. Returns the path inside.
 */
export function prepareWorkingDir(rootfs: string, workingDir: string): string {
  const cwd = confined(rootfs, workingDir);
  if (underKernelMount(cwd.inside)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `refusing the working directory ${workingDir}: it resolves to ${cwd.inside}, inside a kernel filesystem`,
    );
  }
  mkdirSync(cwd.host, { recursive: true });
  if (!statSync(cwd.host).isDirectory()) {
    throw new StevedoreError('INVALID_ARGUMENT', `the working directory ${workingDir} is not a directory`);
  }
  return cwd.inside;
}

/** /etc/hosts, /etc/hostname and /etc/resolv.conf, written in `dir` and bound over the image's. */
export function etcFiles(
  dir: string,
  names: { hostname: string; address: string | null; resolvConf: string; readOnly?: boolean; extraHosts?: string[] },
): Mount[] {
  const files: Record<string, string> = {
    // `--add-host` lines after the container's own, as docker writes them.
    hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${names.address ?? '127.0.1.1'}\t${names.hostname}\n${(names.extraHosts ?? []).map((l) => `${l}\n`).join('')}`,
    hostname: `${names.hostname}\n`,
    'resolv.conf': names.resolvConf,
  };
  return Object.entries(files).map(([name, content]) => {
    const source = join(dir, name);
    writeFileSync(source, content);
    return {
      destination: `/etc/${name}`,
      type: 'bind',
      source,
      options: ['rbind', 'rprivate', ...(names.readOnly ? ['ro'] : [])],
    };
  });
}
