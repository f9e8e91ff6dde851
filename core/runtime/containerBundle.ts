import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StevedoreError } from '../errors.js';
import { mountedAmong } from '../system/mountTable.js';
import { type ContainerRecord, containerPaths } from './containerRecord.js';
import { containerDevices } from './deviceFlags.js';
import { mergeEnv } from './imageProcess.js';
import { behindInit, INIT_TARGET } from './initProcess.js';
import { netnsPath } from './network/containerInterface.js';
import { keepAddedHosts } from './network/networkHosts.js';
import { writePrivateFile } from './privateFile.js';
import { withDnsSettings } from './resolvConfOptions.js';
import { confined, etcFiles, prepareWorkingDir, underKernelMount } from './rootfsSetup.js';
import { buildRuntimeSpec, type Mount } from './runtimeSpec.js';
import { specText } from './ulimits.js';
import { resolveUser, withAddedGroups } from './userLookup.js';
import { fillFromImage } from './volumes/volumeFill.js';
import { volumeDataDir } from './volumes/volumeStore.js';

/** A mount target resolved inside the rootfs, refused in a kernel filesystem (the CVE-2024-21626 pattern). */
function mountTarget(rootfs: string, target: string, what: string): { host: string; inside: string } {
  const resolved = confined(rootfs, target);
  if (underKernelMount(resolved.inside)) {
    throw new StevedoreError('INVALID_ARGUMENT', `the ${what} target ${target} lies in ${resolved.inside}, a kernel filesystem`);
  }
  return resolved;
}

/**
 * Volumes and tmpfs mounts the engine keeps. At a container's first start an empty volume is
 * filled from the image's content at its target, as docker does when it creates the container
 * (not at later starts: a volume emptied on purpose stays empty). The tmpfs options are docker's
 * for `--mount type=tmpfs` (noexec, nosuid, nodev; mode 1777 unless given).
 */
function engineMounts(root: string, rootfs: string, record: ContainerRecord): Mount[] {
  return record.config.mounts.map((mount) => {
    const target = mountTarget(rootfs, mount.target, mount.type);
    if (mount.type === 'tmpfs') {
      const mode = mount.mode ?? 0o1777;
      mkdirSync(target.host, { recursive: true });
      // runc gives a tmpfs the mode of the directory it covers (after mounting it), so that directory gets the mode too.
      chmodSync(target.host, mode);
      const options = ['nosuid', 'nodev', 'noexec', `mode=${mode.toString(8)}`];
      if (mount.sizeBytes !== null) options.push(`size=${mount.sizeBytes}`);
      return { destination: target.inside, type: 'tmpfs', source: 'tmpfs', options };
    }
    const data = volumeDataDir(root, mount.name);
    if (!existsSync(data))
      throw new StevedoreError('NOT_FOUND', `the volume ${mount.name} is gone: remove the container and run it again`);
    if (record.state.status === 'created' && !mount.noCopy) fillFromImage(target.host, data);
    mkdirSync(target.host, { recursive: true });
    return {
      destination: target.inside,
      type: 'bind',
      source: data,
      options: ['rbind', mount.readOnly ? 'ro' : 'rw', 'rprivate'],
    };
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
 * `--add-host` lines for /etc/hosts: `host-gateway` is the host as the container reaches it (its
 * network's gateway; the host itself on the host's network), as docker resolves it.
 */
function extraHostLines(record: ContainerRecord): string[] {
  return record.config.options.extraHosts.map(({ name, ip }) => {
    if (ip !== 'host-gateway') return `${ip}\t${name}`;
    const gateway = record.network?.gateway ?? (record.config.network === 'host' ? '127.0.0.1' : null);
    if (!gateway) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `--add-host ${name}:host-gateway needs a network with a gateway, not --network none`,
      );
    }
    return `${gateway}\t${name}`;
  });
}

/** `--init`: the engine machine's init bound read-only at /sbin/docker-init, as docker mounts its own. */
function initMount(initPath: string | null): Mount[] {
  return initPath ? [{ destination: INIT_TARGET, type: 'bind', source: initPath, options: ['rbind', 'ro', 'rprivate'] }] : [];
}

/**
 * The container's OCI bundle around its root filesystem (`rootfs`, already mounted): the working
 * directory and the user resolved inside it, and config.json. Written at every start, since the
 * network namespace and the address may change between starts.
 */
export function writeBundle(root: string, record: ContainerRecord, rootfs: string): void {
  const paths = containerPaths(root, record.id);
  const cwd = prepareWorkingDir(rootfs, record.config.workingDir);
  const { options } = record.config;
  const extraHosts = extraHostLines(record);
  // Kept beside /etc/hosts: a user network's rewrites of it (networkHosts.ts) keep these lines.
  keepAddedHosts(paths.dir, extraHosts);
  const spec = buildRuntimeSpec({
    rootfs,
    args: options.initPath ? behindInit(record.config.args) : record.config.args,
    env: mergeEnv([`HOSTNAME=${record.config.hostname}`], record.config.tty ? ['TERM=xterm'] : [], record.config.env),
    cwd,
    user: withAddedGroups(rootfs, resolveUser(rootfs, record.config.user), options.groupAdd),
    hostname: record.config.hostname,
    terminal: record.config.tty,
    mounts: [
      ...etcFiles(paths.dir, {
        hostname: record.config.hostname,
        address: record.network?.ipAddress ?? null,
        resolvConf: withDnsSettings(record.network?.resolvConf ?? '', options.dns),
        extraHosts,
      }),
      ...initMount(options.initPath),
      // Parents before children, as docker sorts them: a volume at /data, then a bind at /data/in.
      ...[...volumeMounts(rootfs, record), ...engineMounts(root, rootfs, record)].sort(
        (a, b) => a.destination.split('/').length - b.destination.split('/').length,
      ),
    ],
    network: { mode: record.config.network, netnsPath: record.network?.netnsPath ?? null },
    seccomp: record.config.seccomp,
    capabilities: options.capabilities,
    privileged: options.privileged,
    noNewPrivileges: options.noNewPrivileges,
    readOnlyRootfs: options.readOnly,
    resources: options.resources,
    devices: containerDevices(options.devices),
    ulimits: options.ulimits,
    sysctls: options.sysctls,
    shmSizeBytes: options.shmSizeBytes,
    // What is mounted now; a rootfs copied where overlayfs cannot mount (rootless) is not.
    unmountAfterExit: mountedAmong([rootfs, ...(record.network?.teardown ? [netnsPath(record.network.teardown.netnsName)] : [])]),
  });
  // config.json holds the process's env, -e values included.
  writePrivateFile(paths.spec, specText(spec, 2));
}
