import { z } from 'zod';
import { transferProgress, transferStatus } from './events.schema.js';

/** `images.pull`: what was stored, under which name. */
export const pullResult = z.object({
  transferId: z.string(),
  /** The name given in the store (`host/repo:tag`), or `host/repo@digest` for a pull by digest. */
  reference: z.string(),
  /** The digest the registry names the image by: the index's for a multi-platform image. */
  digest: z.string(),
  mediaType: z.string(),
  /** The platforms whose manifests were pulled. */
  platforms: z.array(z.string()),
});
export type PullResult = z.infer<typeof pullResult>;

export const pushedBlob = z.object({
  digest: z.string(),
  kind: z.enum(['config', 'layer']),
  size: z.number(),
  /** exists: the registry had it; mounted: linked from another repository there; pushed: uploaded. */
  outcome: z.enum(['exists', 'mounted', 'pushed']),
  /** For a mount: the repository it came from. */
  from: z.string().optional(),
});

/** `images.push`: the manifest (or index) digest the registry now names the tag by. */
export const pushResult = z.object({
  transferId: z.string(),
  reference: z.string(),
  digest: z.string(),
  size: z.number(),
  blobs: z.array(pushedBlob),
});
export type PushResult = z.infer<typeof pushResult>;

export const loginResult = z.object({
  registry: z.string(),
  username: z.string(),
  /** Where the login was saved: Docker's config.json, or a credential helper. */
  storedIn: z.string(),
});
export type LoginResult = z.infer<typeof loginResult>;

export const tagList = z.object({ repository: z.string(), tags: z.array(z.string()) });
export type TagList = z.infer<typeof tagList>;

export const catalog = z.object({ registry: z.string(), repositories: z.array(z.string()) });
export type Catalog = z.infer<typeof catalog>;

/** A registry the user added (or one with a login in Docker's config). */
export const registryInfo = z.object({
  host: z.string(),
  /** Plain http and unverified TLS allowed. */
  insecure: z.boolean(),
  /** A CA certificate is kept for it (certs.d/<host>/ca.crt under the store root). */
  hasCa: z.boolean(),
  /** The user logged in, or null. */
  username: z.string().nullable(),
  /** Added in Stevedore (false: known only from a login in Docker's config). */
  added: z.boolean(),
});
export type RegistryInfo = z.infer<typeof registryInfo>;

/** One pull or push as the Transfers panel shows it: the transfer, and each blob's latest progress. */
export const transferSummary = transferStatus.extend({ blobs: z.array(transferProgress) });
export type TransferSummary = z.infer<typeof transferSummary>;
