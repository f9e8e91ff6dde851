import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSummary, PortMapping, PortRequest } from '../api/containers.schema.js';
import { hostPortName } from '../api/portSpec.js';
import { StevedoreError } from '../errors.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import type { MachinePaths } from './machinePaths.js';
import { GUEST_ADDRESS } from './qemuCommand.js';
import { QmpClient } from './qmp.js';

/**
 * A container's published port through the machine: QEMU listens on the host address and port
 * the user asked for and forwards to the same port on the guest, where the agent's engine
 * publishes it to the container as it would on any host. Kept per container in the machine's
 * directory, so `ps` in any process shows the host address, and a restart forwards again.
 */
export interface Forward extends PortMapping {}

/**
 * The ports `ps` and `inspect` show for a container through the machine: the host's forwards to it
 * while it runs, none while it does not, as a native container's (and docker's). A created
 * container's forwards are chosen at `create` but made at `start`: nothing listens on them yet.
 * `forwards` is read only for a container that runs (`ps -a` lists many that do not).
 */
export function shownPorts(state: ContainerSummary['state'], forwards: () => Forward[], inGuest: PortMapping[]): PortMapping[] {
  if (state !== 'running' && state !== 'paused') return [];
  const made = forwards();
  return made.length > 0 ? made : inGuest;
}

function forwardsDir(paths: MachinePaths): string {
  return join(paths.dir, 'forwards');
}

export function readForwards(paths: MachinePaths, id: string): Forward[] {
  try {
    return JSON.parse(readFileSync(join(forwardsDir(paths), `${id}.json`), 'utf8')) as Forward[];
  } catch {
    return [];
  }
}

export function writeForwards(paths: MachinePaths, id: string, forwards: Forward[]): void {
  mkdirSync(forwardsDir(paths), { recursive: true, mode: 0o700 });
  writeFileAtomic(join(forwardsDir(paths), `${id}.json`), JSON.stringify(forwards));
}

export function forgetForwards(paths: MachinePaths, id: string): void {
  rmSync(join(forwardsDir(paths), `${id}.json`), { force: true });
}

/** Every forward of every container, for picking ports no other container holds. */
export function allForwards(paths: MachinePaths): Forward[] {
  let names: string[] = [];
  try {
    names = readdirSync(forwardsDir(paths));
  } catch {}
  return names.filter((n) => n.endsWith('.json')).flatMap((n) => readForwards(paths, n.slice(0, -5)));
}

const rule = (f: PortRequest) => `${f.protocol}:${f.hostIp}:${f.hostPort}`;

async function monitor(paths: MachinePaths, commands: string[]): Promise<string[]> {
  const qmp = await QmpClient.connect(paths.qmpSocket, () => {}, 10_000);
  try {
    const said: string[] = [];
    for (const line of commands)
      said.push(String((await qmp.execute('human-monitor-command', { 'command-line': line })) ?? '').trim());
    return said;
  } finally {
    qmp.close();
  }
}

/** Asks QEMU to forward each port; a port QEMU cannot listen on is said as docker says it. */
export async function addForwards(paths: MachinePaths, forwards: Forward[]): Promise<void> {
  if (forwards.length === 0) return;
  // A rule left from before (a container restarted, a machine that kept running) goes first.
  await monitor(
    paths,
    forwards.map((f) => `hostfwd_remove net ${rule(f)}`),
  );
  const said = await monitor(
    paths,
    forwards.map((f) => `hostfwd_add net ${rule(f)}-${GUEST_ADDRESS}:${f.hostPort}`),
  );
  const failed = forwards.filter((_, i) => said[i] !== '');
  if (failed.length > 0) {
    await removeForwards(paths, forwards);
    throw new StevedoreError('CONFLICT', `port ${hostPortName(failed[0]!)} is already in use`);
  }
}

export async function removeForwards(paths: MachinePaths, forwards: Forward[]): Promise<void> {
  if (forwards.length === 0) return;
  await monitor(
    paths,
    forwards.map((f) => `hostfwd_remove net ${rule(f)}`),
  ).catch(() => undefined);
}
