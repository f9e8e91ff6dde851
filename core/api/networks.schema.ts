import { z } from 'zod';

/** A container on a network, as `network inspect` lists it (running ones carry their address). */
export const networkEndpoint = z.object({
  id: z.string(),
  name: z.string(),
  aliases: z.array(z.string()),
  ipAddress: z.string().nullable(),
  macAddress: z.string().nullable(),
});
export type NetworkEndpoint = z.infer<typeof networkEndpoint>;

/**
 * One network as `network ls` and `network inspect` show it: the three docker always lists
 * (bridge, host, none) and the user-defined bridges of this engine's store.
 */
export const networkSummary = z.object({
  /** 64 hex digits; people see the first 12. */
  id: z.string(),
  name: z.string(),
  /** docker's driver names: bridge, host, null; pasta: a rootless store's default network (user-mode, no bridge). */
  driver: z.enum(['bridge', 'host', 'null', 'pasta']),
  scope: z.literal('local'),
  /** A user network (removable); false for bridge, host and none. */
  userDefined: z.boolean(),
  /** The Linux bridge, subnet and gateway (none for host and none). */
  bridge: z.string().nullable(),
  subnet: z.string().nullable(),
  gateway: z.string().nullable(),
  /** `--internal`: no traffic leaves the network. */
  internal: z.boolean(),
  created: z.string(),
  labels: z.record(z.string(), z.string()),
  /** The store whose engine made it (user networks are host-wide kernel objects, owned by one store). */
  root: z.string().nullable(),
  /** The containers that name it, running or not. */
  containers: z.array(networkEndpoint),
});
export type NetworkSummary = z.infer<typeof networkSummary>;

export const networkCreateRequest = z.object({
  name: z.string().min(1),
  /** `--subnet` as CIDR; a free /24 of 10.214.0.0/15 when absent. */
  subnet: z.string().min(1).optional(),
  internal: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export type NetworkCreateRequest = z.infer<typeof networkCreateRequest>;

export const networkPruneResult = z.object({ removed: z.array(z.string()) });
export type NetworkPruneResult = z.infer<typeof networkPruneResult>;
