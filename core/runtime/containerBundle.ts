import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StevedoreError } from '../errors.js';
import { type ContainerRecord, containerPaths } from './containerRecord.js';
import { mergeEnv } from './imageProcess.js';
import { writePrivateFile } from './privateFile.js';
import { confined, etcFiles, prepareWorkingDir, underKernelMount } from './rootfsSetup.js';
import { buildRuntimeSpec, type Mount } from './runtimeSpec.js';
import { resolveUser } from './userLookup.js';

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
 * The container's OCI bundle around its root filesystem (`rootfs`, already mounted): the working
 * directory and the user resolved inside it, and config.json. Written at every start, since the
 * network namespace and the address may change between starts.
 */
export function writeBundle(root: string, record: ContainerRecord, rootfs: string): void {
  const paths = containerPaths(root, record.id);
  const cwd = prepareWorkingDir(rootfs, record.config.workingDir);
  const spec = buildRuntimeSpec({
    rootfs,
    args: record.config.args,
    env: mergeEnv([`HOSTNAME=${record.config.hostname}`], record.config.tty ? ['TERM=xterm'] : [], record.config.env),
    cwd,
    user: resolveUser(rootfs, record.config.user),
    hostname: record.config.hostname,
    terminal: record.config.tty,
    mounts: [
      ...etcFiles(paths.dir, {
        hostname: record.config.hostname,
        address: record.network?.ipAddress ?? null,
        resolvConf: record.network?.resolvConf ?? '',
      }),
      ...volumeMounts(rootfs, record),
    ],
    network: { mode: record.config.network, netnsPath: record.network?.netnsPath ?? null },
    seccomp: record.config.seccomp,
  });
  // config.json holds the process's env, -e values included.
  writePrivateFile(paths.spec, JSON.stringify(spec, null, 2));
}
