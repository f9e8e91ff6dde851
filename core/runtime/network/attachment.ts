import { z } from 'zod';
import { networkMode, portMapping } from '../../api/containers.schema.js';

/** One more interface of a container on a bridge: eth1, eth2, … (extraInterfaces.ts). */
export const extraInterface = z.object({
  /** The user network (null: the default bridge). */
  networkId: z.string().nullable(),
  /** Its name inside the container. */
  ifname: z.string().regex(/^eth[0-9]{1,3}$/),
  /** Its lease, which names its host end (`sd<leaseId>`). */
  leaseId: z.string().regex(/^[0-9a-f]{12}$/),
  ipAddress: z.string(),
  prefixLength: z.number().int(),
  gateway: z.string(),
  macAddress: z.string(),
});
export type ExtraInterface = z.infer<typeof extraInterface>;

/**
 * What attachNetwork hands back: plain JSON, stored in the container's record and read back by any
 * later process, which gives it to detachNetwork.
 */
export const networkAttachment = z.object({
  mode: networkMode,
  /** The namespace to join (`{type: 'network', path}` in the runtime spec); null: host's, or a new empty one. */
  netnsPath: z.string().nullable(),
  ipAddress: z.string().nullable(),
  prefixLength: z.number().int().nullable(),
  gateway: z.string().nullable(),
  macAddress: z.string().nullable(),
  /** The user network joined (absent or null: the default bridge, host or none). */
  networkId: z.string().nullable().optional(),
  /**
   * Its interfaces after the first (eth1, eth2, …), each on another network, in the first one's
   * namespace and with a lease of its own (absent: none). The first one's fields above are null
   * once it was disconnected while the container ran; `teardown` still names the namespace.
   */
  extra: z.array(extraInterface).optional(),
  /** Published ports with their host ports resolved. */
  ports: z.array(portMapping),
  /** The container's /etc/resolv.conf. */
  resolvConf: z.string(),
  /** What the user should hear (ports discarded in host mode). */
  notes: z.array(z.string()),
  /** What detach removes: the lease (address, ports), its veth and namespace, the rules marked with it. */
  teardown: z
    .object({
      leaseId: z.string().regex(/^[0-9a-f]{12}$/),
      netnsName: z.string(),
      hostInterface: z.string(),
    })
    .nullable(),
});
export type NetworkAttachment = z.infer<typeof networkAttachment>;
