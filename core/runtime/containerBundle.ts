import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import { type ContainerRecord, containerPaths } from './containerRecord.js';
import { mountRootfs } from './containerRootfs.js';
import { mergeEnv } from './imageProcess.js';
import { buildRuntimeSpec, type Mount } from './runtimeSpec.js';
import { resolveUser } from './userLookup.js';

/** Where the spec mounts kernel filesystems: a working directory there would be the host's (CVE-2024-21626). */
const KERNEL_MOUNTS = ['/proc', '/sys', '/dev'];

/** `path` inside the rootfs, with links followed but kept inside; returned as the container sees it. */
function confined(rootfs: string, path: string): { host: string; inside: string } {
  const host = resolveInRoot(rootfs, path, true);
  return { host, inside: `/${relative(rootfs, host)}` };
}

function underKernelMount(inside: string): boolean {
  return KERNEL_MOUNTS.some((m) => inside === m || inside.startsWith(`${m}/`));
}

/** /etc/hosts, /etc/hostname and /etc/resolv.conf for the container, bound over the image's. */
function etcFiles(dir: string, record: ContainerRecord): Mount[] {
  const { hostname } = record.config;
  const address = record.network?.ipAddress;
  const files: Record<string, string> = {
    hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${address ?? '127.0.1.1'}\t${hostname}\n`,
    hostname: `${hostname}\n`,
    'resolv.conf': record.network?.resolvConf ?? '',
  };
  return Object.entries(files).map(([name, content]) => {
    const source = join(dir, name);
    writeFileSync(source, content);
    return { destination: `/etc/${name}`, type: 'bind', source, options: ['rbind', 'rprivate'] };
  });
}

/** Volumes: each target resolved inside the rootfs (a link in the image cannot aim it at the host) and created. */
function volumeMounts(rootfs: string, record: ContainerRecord): Mount[] {
  return record.config.volumes.map((volume) => {
    if (!existsSync(volume.source)) mkdirSync(volume.source, { recursive: true });
    const target = confined(rootfs, volume.target);
    if (underKernelMount(target.inside)) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `the volume target ${volume.target} lies in ${target.inside}, a kernel filesystem`,
      );
    }
    if (statSync(volume.source).isDirectory()) mkdirSync(target.host, { recursive: true });
    else if (!existsSync(target.host)) {
      mkdirSync(dirname(target.host), { recursive: true });
      writeFileSync(target.host, '');
    }
    return {
      destination: target.inside,
      type: 'bind',
      source: volume.source,
      options: ['rbind', volume.readOnly ? 'ro' : 'rw', 'rprivate'],
    };
  });
}

/**
 * The container's OCI bundle: its root filesystem mounted, the working directory and the user
 * resolved inside it, and config.json. Written at every start, since the network namespace and
 * the address may change between starts.
 */
export function writeBundle(root: string, record: ContainerRecord, lower: string): void {
  const paths = containerPaths(root, record.id);
  const rootfs = mountRootfs(paths.dir, lower);
  // image-spec: WorkingDir is created when missing; resolved inside the rootfs, never through a link out.
  const cwd = confined(rootfs, record.config.workingDir);
  if (underKernelMount(cwd.inside)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `refusing the working directory ${record.config.workingDir}: it resolves to ${cwd.inside}, inside a kernel filesystem`,
    );
  }
  mkdirSync(cwd.host, { recursive: true });
  if (!statSync(cwd.host).isDirectory()) {
    throw new StevedoreError('INVALID_ARGUMENT', `the working directory ${record.config.workingDir} is not a directory`);
  }
  const spec = buildRuntimeSpec({
    rootfs,
    args: record.config.args,
    env: mergeEnv([`HOSTNAME=${record.config.hostname}`], record.config.tty ? ['TERM=xterm'] : [], record.config.env),
    cwd: cwd.inside,
    user: resolveUser(rootfs, record.config.user),
    hostname: record.config.hostname,
    terminal: record.config.tty,
    mounts: [...etcFiles(paths.dir, record), ...volumeMounts(rootfs, record)],
    network: { mode: record.config.network, netnsPath: record.network?.netnsPath ?? null },
  });
  writeFileSync(paths.spec, JSON.stringify(spec, null, 2));
}
