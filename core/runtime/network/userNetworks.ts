import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { NetworkCreateRequest, NetworkEndpoint, NetworkPruneResult, NetworkSummary } from '../../api/networks.schema.js';
import { StevedoreError } from '../../errors.js';
import { ROOTLESS_GATEWAY, ROOTLESS_SUBNET, rootlessNetworkDir } from '../rootless/rootlessNetwork.js';
import { ensureBridge } from './bridge.js';
import { BRIDGE, type BridgeSpec, GATEWAY, SUBNET_CIDR } from './bridgeSubnet.js';
import { currentBootId, withNetworkLock } from './leaseStore.js';
import { ensureNatTable } from './natTable.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';
import { chooseSubnet, gatewayOf, parseSubnet, type Subnet, subnetConflict } from './subnetChoice.js';
import { addNetworkRules, networkRuleHandles, removeNetworkRules } from './userNetworkRules.js';
import {
  bridgeName,
  bridgeSpec,
  definitionPath,
  type NetworkClaim,
  readClaims,
  readDefinitions,
  removeClaim,
  removeDefinition,
  type UserNetworkDefinition,
  writeClaim,
  writeDefinition,
} from './userNetworkState.js';

/** The three networks docker always lists; none can be created or removed. */
export const BUILTIN_NETWORKS = ['bridge', 'host', 'none'] as const;
/** docker's rule for network names. */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The containers (of this store) that name a network: a user network by ID, a built-in one by name. */
export type NetworkMembers = (network: string) => NetworkEndpoint[];

/**
 * User-defined bridge networks of one store: each its own Linux bridge and subnet, its rules in
 * Stevedore's nftables table. The definitions live in the store; the subnet and bridge are claimed
 * host-wide under the network lock, so engines of two stores on one host never take the same.
 */
export class UserNetworks {
  constructor(
    readonly root: string,
    private readonly members: NetworkMembers,
  ) {}

  list(): NetworkSummary[] {
    return [...BUILTIN_NETWORKS.map((name) => this.builtin(name)), ...readDefinitions(this.root).map((d) => this.summary(d))];
  }

  inspect(ref: string): NetworkSummary {
    const builtin = BUILTIN_NETWORKS.find((name) => name === ref || builtinId(name).startsWith(ref));
    if (builtin) return this.builtin(builtin);
    return this.summary(this.find(ref));
  }

  /** By name, full ID or unique ID prefix, as docker finds networks. */
  find(ref: string): UserNetworkDefinition {
    const all = readDefinitions(this.root);
    const exact = all.find((d) => d.name === ref || d.id === ref);
    if (exact) return exact;
    const matches = /^[0-9a-f]+$/.test(ref) ? all.filter((d) => d.id.startsWith(ref)) : [];
    if (matches.length > 1) throw new StevedoreError('CONFLICT', `network ID prefix ${ref} is ambiguous; give more of it`);
    if (!matches[0]) throw new StevedoreError('NOT_FOUND', `network ${ref} not found`);
    return matches[0];
  }

  async create(request: NetworkCreateRequest): Promise<NetworkSummary> {
    refuseWithoutBridges();
    const { name } = request;
    if (!NETWORK_NAME.test(name)) {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid network name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    }
    if ((BUILTIN_NETWORKS as readonly string[]).includes(name)) {
      throw new StevedoreError('CONFLICT', `network with name ${name} already exists (it is built in)`);
    }
    const asked = request.subnet !== undefined ? parseSubnet(request.subnet) : undefined;
    const definition = await withNetworkLock(async () => {
      const own = readDefinitions(this.root);
      if (own.some((d) => d.name === name)) throw new StevedoreError('CONFLICT', `network with name ${name} already exists`);
      const taken = [
        ...(await liveClaims()).map((c) => ({ what: `network ${c.name} of ${c.root}`, subnet: c })),
        ...own.map((d) => ({ what: `network ${d.name}`, subnet: d })),
        ...(await hostRoutes()),
      ];
      let subnet: Subnet;
      if (asked) {
        const conflict = subnetConflict(asked, taken);
        if (conflict) throw new StevedoreError('CONFLICT', `the subnet ${request.subnet} overlaps ${conflict}`);
        subnet = asked;
      } else {
        const free = chooseSubnet(taken);
        if (!free) throw new StevedoreError('CONFLICT', 'no free subnet is left in 10.214.0.0/15: give one with --subnet');
        subnet = free;
      }
      const made: UserNetworkDefinition = {
        id: randomBytes(32).toString('hex'),
        name,
        ...subnet,
        gateway: gatewayOf(subnet),
        internal: request.internal ?? false,
        created: new Date().toISOString(),
        labels: request.labels ?? {},
      };
      writeDefinition(this.root, made);
      try {
        await this.setUp(made);
      } catch (err) {
        await tearDown(made.id).catch(() => undefined);
        removeDefinition(this.root, made.id);
        throw err;
      }
      return made;
    });
    return this.summary(definition);
  }

  /**
   * What a container joining needs: the network's bridge and rules, made again if they are gone
   * (after a reboot, or removed by hand). Its subnet is claimed again unless another store took it.
   */
  async ensureUp(id: string): Promise<BridgeSpec> {
    refuseWithoutBridges();
    const definition = readDefinitions(this.root).find((d) => d.id === id);
    if (!definition) throw new StevedoreError('NOT_FOUND', `network ${id.slice(0, 12)} not found`);
    return withNetworkLock(async () => {
      // Removed meanwhile (network rm holds this lock): not made again for a network that is gone.
      if (!existsSync(definitionPath(this.root, id))) {
        throw new StevedoreError('NOT_FOUND', `network ${definition.name} not found`);
      }
      const claims = await liveClaims();
      if (!claims.some((c) => c.id === id)) {
        const others = claims.map((c) => ({ what: `network ${c.name} of ${c.root}`, subnet: c }));
        const conflict = subnetConflict(definition, [...others, ...(await hostRoutes())]);
        if (conflict) {
          throw new StevedoreError(
            'CONFLICT',
            `the subnet ${definition.subnet}/${definition.prefixLength} of network ${definition.name} is now taken by ${conflict}: remove the network and create it again`,
          );
        }
        await this.setUp(definition);
      } else if ((await networkRuleHandles(id)).length === 0) await this.setUp(definition);
      return bridgeSpec(definition);
    });
  }

  /** Under the network lock: the claim, Stevedore's table, the bridge and the network's rules. */
  private async setUp(definition: UserNetworkDefinition): Promise<void> {
    const spec = bridgeSpec(definition);
    writeClaim(claimOf(this.root, definition));
    await ensureNatTable();
    await ensureBridge(spec);
    await addNetworkRules(definition.id, spec, definition.internal);
  }

  /** docker network rm: refused while a container (running or not) names it. */
  async remove(ref: string): Promise<string> {
    if ((BUILTIN_NETWORKS as readonly string[]).includes(ref)) {
      throw new StevedoreError('DENIED', `${ref} is a pre-defined network and cannot be removed`);
    }
    const definition = this.find(ref);
    const users = this.members(definition.id);
    if (users.length > 0) {
      throw new StevedoreError(
        'CONFLICT',
        `network ${definition.name} is in use by container ${users.map((u) => u.name).join(', ')}: remove it or disconnect it first`,
      );
    }
    await withNetworkLock(async () => {
      await tearDown(definition.id);
      removeDefinition(this.root, definition.id);
    });
    return definition.name;
  }

  /** docker network prune: every user network no container names. */
  async prune(): Promise<NetworkPruneResult> {
    const removed: string[] = [];
    // In name order: the definitions' files are named by random IDs.
    const byName = readDefinitions(this.root).sort((a, b) => a.name.localeCompare(b.name, 'en'));
    for (const definition of byName) {
      if (this.members(definition.id).length > 0) continue;
      removed.push(await this.remove(definition.id));
    }
    return { removed };
  }

  private summary(d: UserNetworkDefinition): NetworkSummary {
    return {
      id: d.id,
      name: d.name,
      driver: 'bridge',
      scope: 'local',
      userDefined: true,
      bridge: bridgeName(d.id),
      subnet: `${d.subnet}/${d.prefixLength}`,
      gateway: d.gateway,
      internal: d.internal,
      created: d.created,
      labels: d.labels,
      root: this.root,
      containers: this.members(d.id),
    };
  }

  private builtin(name: (typeof BUILTIN_NETWORKS)[number]): NetworkSummary {
    const bridged = name === 'bridge';
    // A rootless store's default network is pasta's (rootlessNetwork.ts): each container alone on
    // 10.0.2.0/24 behind its own pasta, no bridge; so it is shown, not the root engine's stevedore0.
    const userMode = bridged && rootlessNetworkDir() !== null;
    return {
      id: builtinId(name),
      name,
      driver: userMode ? 'pasta' : name === 'none' ? 'null' : name,
      scope: 'local',
      userDefined: false,
      bridge: bridged && !userMode ? BRIDGE : null,
      subnet: userMode ? ROOTLESS_SUBNET : bridged ? SUBNET_CIDR : null,
      gateway: userMode ? ROOTLESS_GATEWAY : bridged ? GATEWAY : null,
      internal: false,
      created: new Date(0).toISOString(),
      labels: {},
      root: null,
      containers: this.members(name),
    };
  }
}

/** A fixed ID for each built-in network (docker's are random per host; these need only be stable). */
function builtinId(name: string): string {
  return createHash('sha256').update(`stevedore network ${name}`).digest('hex');
}

function claimOf(root: string, d: UserNetworkDefinition): NetworkClaim {
  return {
    id: d.id,
    name: d.name,
    root,
    bridge: bridgeName(d.id),
    subnet: d.subnet,
    prefixLength: d.prefixLength,
    bootId: currentBootId(),
  };
}

/** User networks need bridges on the host: root, and not the rootless runtime's user-mode network. */
function refuseWithoutBridges(): void {
  if (process.getuid?.() !== 0 || rootlessNetworkDir()) {
    throw new StevedoreError(
      'DENIED',
      'user-defined networks need root on the host (each is a Linux bridge): the rootless runtime has only its user-mode network',
    );
  }
}

/**
 * The claims that hold: of this boot, by a store that still has the network. The others are
 * let go, with what they made (a store deleted with its networks leaves its bridges behind).
 * Under the network lock.
 */
async function liveClaims(): Promise<NetworkClaim[]> {
  const bootId = currentBootId();
  const live: NetworkClaim[] = [];
  for (const claim of readClaims()) {
    if (claim.bootId === bootId && existsSync(definitionPath(claim.root, claim.id))) live.push(claim);
    else if (claim.bootId !== bootId) removeClaim(claim.id);
    else await tearDown(claim.id);
  }
  return live;
}

/** Under the network lock: the rules, the bridge and the claim go; each already gone is fine. */
async function tearDown(id: string): Promise<void> {
  await removeNetworkRules(id);
  const bridge = bridgeName(id);
  const r = await tryNetworkTool('ip', ['link', 'delete', bridge, 'type', 'bridge']);
  if (!r.ok && !/Cannot find device/.test(r.stderr)) {
    throw new StevedoreError('INTERNAL', `removing the bridge ${bridge} failed: ${r.stderr}`);
  }
  removeClaim(id);
}

/** The host's routes, less those of Stevedore's own bridges: a subnet there would be unreachable. */
async function hostRoutes(): Promise<{ what: string; subnet: Subnet }[]> {
  const routes = JSON.parse(await runNetworkTool('ip', ['-json', '-4', 'route', 'show'], 'reading the routing table')) as {
    dst?: string;
    dev?: string;
  }[];
  return routes.flatMap((route) => {
    if (!route.dst || route.dst === 'default' || route.dev === BRIDGE || route.dev?.startsWith('sdn-')) return [];
    const [address = '', length = '32'] = route.dst.split('/');
    const what = `the host's route to ${route.dst}${route.dev ? ` via ${route.dev}` : ''}`;
    return [{ what, subnet: { subnet: address, prefixLength: Number.parseInt(length, 10) } }];
  });
}
