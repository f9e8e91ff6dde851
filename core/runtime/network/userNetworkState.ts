import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../system/atomicFile.js';
import type { BridgeSpec } from './bridgeSubnet.js';
import { NETWORK_STATE_DIR } from './leaseStore.js';

/**
 * A user-defined network as its store keeps it (`<root>/networks/<id>.json`): what the user asked
 * for and the subnet it was given. It outlives reboots, as docker's networks do; the kernel objects
 * (bridge, rules) are made again from it when a container next joins.
 */
export const userNetworkDefinition = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  subnet: z.string(),
  prefixLength: z.number().int().min(8).max(29),
  gateway: z.string(),
  internal: z.boolean(),
  created: z.string(),
  labels: z.record(z.string(), z.string()),
});
export type UserNetworkDefinition = z.infer<typeof userNetworkDefinition>;

/**
 * The host-wide claim of a network's subnet and bridge name, beside the leases in /run (every
 * engine on the host reads them under the network lock, so two stores never take the same subnet
 * or bridge). It names the store that owns the network.
 */
export const networkClaim = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  root: z.string(),
  bridge: z.string(),
  subnet: z.string(),
  prefixLength: z.number().int(),
  bootId: z.string(),
});
export type NetworkClaim = z.infer<typeof networkClaim>;

const CLAIMS_DIR = join(NETWORK_STATE_DIR, 'networks');

/** The Linux bridge of a user network: `sdn-` and 11 hex digits of its ID (15 characters, the kernel's most). */
export function bridgeName(id: string): string {
  return `sdn-${id.slice(0, 11)}`;
}

export function bridgeSpec(definition: UserNetworkDefinition): BridgeSpec {
  return {
    bridge: bridgeName(definition.id),
    subnet: definition.subnet,
    prefixLength: definition.prefixLength,
    gateway: definition.gateway,
  };
}

function definitionsDir(root: string): string {
  return join(root, 'networks');
}

export function definitionPath(root: string, id: string): string {
  return join(definitionsDir(root), `${id}.json`);
}

export function readDefinitions(root: string): UserNetworkDefinition[] {
  const dir = definitionsDir(root);
  if (!existsSync(dir)) return [];
  return readJsonFiles(dir, userNetworkDefinition).sort((a, b) => a.created.localeCompare(b.created));
}

export function writeDefinition(root: string, definition: UserNetworkDefinition): void {
  mkdirSync(definitionsDir(root), { recursive: true });
  writeFileAtomic(definitionPath(root, definition.id), JSON.stringify(definition, null, 2));
}

export function removeDefinition(root: string, id: string): void {
  rmSync(definitionPath(root, id), { force: true });
}

export function readClaims(): NetworkClaim[] {
  return existsSync(CLAIMS_DIR) ? readJsonFiles(CLAIMS_DIR, networkClaim) : [];
}

export function writeClaim(claim: NetworkClaim): void {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  // /run is a tmpfs, emptied at boot with the bridges: nothing to fsync.
  writeFileAtomic(join(CLAIMS_DIR, `${claim.id}.json`), JSON.stringify(claim), { durable: false });
}

export function removeClaim(id: string): void {
  rmSync(join(CLAIMS_DIR, `${id}.json`), { force: true });
}

function readJsonFiles<T>(dir: string, schema: z.ZodType<T>): T[] {
  const found: T[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      found.push(schema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))));
    } catch {
      // removed meanwhile, or not one of ours
    }
  }
  return found;
}
