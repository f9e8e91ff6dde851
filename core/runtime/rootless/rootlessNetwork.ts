import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { PortMapping, PortRequest } from '../../api/containers.schema.js';
import { StevedoreError } from '../../errors.js';
import { withFileLock } from '../../store/lock.js';
import type { NetworkAttachment } from '../network/attachment.js';
import { resolveHostPorts } from '../network/hostPorts.js';
import { containerResolvConf } from '../network/resolvConf.js';
import { processStartTicks } from '../processIdentity.js';
import { pastaBlocker } from './rootlessHost.js';

const run = promisify(execFile);

/**
 * The default network of a rootless container: pasta (Debian `passt`), as rootless podman's. The
 * bridge needs root on the host; pasta instead gives the container a network namespace of its own
 * with one interface behind which pasta, a process of the user's, turns the container's traffic
 * into ordinary sockets of the host, and listens on the published host ports itself.
 *
 * What it gives, chosen to match docker's bridge rather than pasta's defaults:
 * - An address of the container's own (slirp4netns's 10.0.2.100/24, gateway 10.0.2.2), not a copy
 *   of the host's (pasta's default), so the host's own addresses are reachable from the container.
 * - `--no-map-gw`, `-T none`, `-U none`: the host's loopback is not reachable, neither through the
 *   gateway nor the container's 127.0.0.1 (pasta maps both by default; docker's bridge reaches
 *   neither, as route_localnet is off).
 * - `-t`/`-u` exactly the published ports (`none` otherwise: pasta's default `auto` would publish
 *   whatever the container listens on).
 * - IPv4 only, as the root bridge.
 * Unlike the bridge, containers do not reach each other by address: each pasta is a network of one.
 */
export const ROOTLESS_ADDRESS = '10.0.2.100';
export const ROOTLESS_GATEWAY = '10.0.2.2';
const PREFIX_LENGTH = 24;
/** What `network ls` shows as a rootless store's default network. */
export const ROOTLESS_SUBNET = `10.0.2.0/${PREFIX_LENGTH}`;

let storeRoot: string | null = null;

/** Set by the rootless runtime: its containers' default network is pasta, with namespaces kept in the store. */
export function configureRootlessNetwork(root: string | null): void {
  storeRoot = root;
}

/** Where this engine's user-mode network namespaces live, or null when the engine is not rootless. */
export function rootlessNetworkDir(): string | null {
  return storeRoot ? userModeNetnsDir(storeRoot) : null;
}

/** Where the user-mode network namespaces of the store at `root` live. */
export function userModeNetnsDir(root: string): string {
  return join(root, 'run', 'netns');
}

const NAME = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,127}$/;

/**
 * A network namespace for container `id` with pasta attached: the namespace is bound to
 * `<store>/run/netns/<id>` (in the store's mount namespace, where runc joins it) and pasta serves
 * it, holding the published ports, until detachRootless. Without pasta or a usable /dev/net/tun, a
 * container that publishes no port runs with no network, told so; one that publishes ports is
 * refused in one line. Anything failing half-way leaves nothing behind.
 */
export async function attachRootless(
  dir: string,
  request: { containerId: string; ports: PortRequest[] },
): Promise<NetworkAttachment> {
  const blocker = pastaBlocker();
  if (blocker) {
    if (request.ports.length > 0) throw new StevedoreError('DENIED', `cannot publish ports: ${blocker}`);
    return {
      ...detached(),
      mode: 'none',
      resolvConf: containerResolvConf(),
      notes: [`${blocker}; this container runs with no network, as with --network none`],
    };
  }
  const netns = join(dir, request.containerId);
  // One attach at a time in a store: the ports chosen are free until pasta has bound them.
  return withFileLock(join(dirname(dir), 'rootless', 'network'), 'the rootless network of this store', async () => {
    // pasta binds the ports itself, so none is held here; one another container's pasta holds is in use.
    const ports = await resolveHostPorts(request.ports, []);
    mkdirSync(dir, { recursive: true });
    try {
      closeSync(openSync(netns, 'w'));
      await run('unshare', [`--net=${netns}`, 'true']);
      await run('pasta', pastaArgs(netns, ports));
    } catch (err) {
      await detachRootless(dir, netns);
      throw new StevedoreError('INTERNAL', `cannot set up the rootless network: ${failure(err)}`, { cause: err });
    }
    return {
      ...detached(),
      mode: 'bridge',
      netnsPath: netns,
      ipAddress: ROOTLESS_ADDRESS,
      prefixLength: PREFIX_LENGTH,
      gateway: ROOTLESS_GATEWAY,
      ports,
      resolvConf: containerResolvConf(),
      notes: [],
    };
  });
}

function detached(): Omit<NetworkAttachment, 'mode' | 'resolvConf' | 'notes'> {
  return { netnsPath: null, ipAddress: null, prefixLength: null, gateway: null, macAddress: null, ports: [], teardown: null };
}

function pastaArgs(netns: string, ports: PortMapping[]): string[] {
  const spec = (protocol: 'tcp' | 'udp') => {
    const list = ports
      .filter((p) => p.protocol === protocol)
      .map((p) => `${p.hostIp === '0.0.0.0' ? '' : `${p.hostIp}/`}${p.hostPort}:${p.containerPort}`);
    return list.length > 0
      ? list.flatMap((s) => [protocol === 'tcp' ? '-t' : '-u', s])
      : [protocol === 'tcp' ? '-t' : '-u', 'none'];
  };
  return [
    '--config-net',
    '--netns',
    netns,
    '--ipv4-only',
    '--address',
    ROOTLESS_ADDRESS,
    '--netmask',
    String(PREFIX_LENGTH),
    '--gateway',
    ROOTLESS_GATEWAY,
    '--no-map-gw',
    ...spec('tcp'),
    ...spec('udp'),
    '-T',
    'none',
    '-U',
    'none',
    '--pid',
    pidFile(netns),
    '--quiet',
  ];
}

const pidFile = (netns: string) => `${netns}.pasta.pid`;

/** pasta's complaint (it says why on stderr, e.g. "Failed to bind any port for '-t …'"), else the error's. */
function failure(err: unknown): string {
  const stderr = String((err as { stderr?: unknown }).stderr ?? '')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('Failed to send') && !line.includes('syslog'));
  return stderr.at(-1)?.trim() ?? (err as Error).message;
}

/**
 * Ends the container's pasta and removes its namespace file. Tolerates either being gone already,
 * so it may run twice (conmon's exit command and `rm`). `netns` comes from the container's record:
 * it must name a file directly in `dir`.
 */
export async function detachRootless(dir: string, netns: string): Promise<void> {
  if (dirname(netns) !== dir || !NAME.test(basename(netns))) {
    throw new StevedoreError('INVALID_ARGUMENT', `"${netns}" is not a rootless network namespace of this store`);
  }
  const pid = pastaPid(netns);
  if (pid !== null) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // ended meanwhile
    }
    // Gone before detach returns, so the ports are free for the next run.
    for (let i = 0; i < 400 && processStartTicks(pid) !== null; i++) await new Promise((r) => setTimeout(r, 5));
    if (processStartTicks(pid) !== null) process.kill(pid, 'SIGKILL');
  }
  if (existsSync(netns)) await run('umount', [netns]).catch(() => undefined);
  rmSync(netns, { force: true });
  rmSync(pidFile(netns), { force: true });
}

/** The pid in pasta's pid file, if that process is still pasta serving this namespace. */
function pastaPid(netns: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile(netns), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 1) return null;
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes(netns) ? pid : null;
  } catch {
    return null;
  }
}
