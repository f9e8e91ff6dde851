import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AGENT_BLOBS_PATH } from '../client/agentProtocol.js';
import type { Digest } from '../digest/digest.js';
import { DigestingStream } from '../digest/hashing.js';
import { decompressor, layerCompression } from '../layers/decompress.js';
import type { Descriptor } from '../oci/descriptor.js';
import { ingestStream } from '../store/ingest.js';
import type { Lease } from '../store/lease.js';
import type { Store } from '../store/store.js';
import type { AgentEndpoint } from './agentClient.js';
import { agentHttp, refusal } from './agentHttp.js';

/** A layer the guest made and left in its store: its blob's descriptor and its tar's digest. */
export interface GuestLayer {
  descriptor: { mediaType: string; digest: string; size: number };
  diffId: string;
}

/**
 * A layer the guest made (a build's RUN step, a commit) fetched into this store by its digest
 * from the agent's blobs, under `lease`, checked on arrival against both the digest and the diff
 * ID the guest gave for it, in one pass over the bytes. `what` names it in errors.
 */
export async function fetchGuestLayer(
  store: Store,
  agent: AgentEndpoint,
  lease: Lease,
  layer: GuestLayer,
  what: string,
): Promise<{ descriptor: Descriptor; diffId: Digest }> {
  const digest = layer.descriptor.digest as Digest;
  const diffId = layer.diffId as Digest;
  const res = await agentHttp(agent, 'GET', `${AGENT_BLOBS_PATH}${digest}`);
  if (res.statusCode !== 200) throw await refusal(res, `${what} ${digest} could not be fetched`);
  const unpacked = decompressor(layerCompression(layer.descriptor.mediaType), what);
  const tar = new DigestingStream({ digest: diffId, what: `${what} (its diff ID)` });
  const blob = new PassThrough();
  res.pipe(blob);
  const checks = unpacked
    ? pipeline(res, unpacked, tar, new Writable({ write: (_c, _e, done) => done() }))
    : pipeline(res, tar, new Writable({ write: (_c, _e, done) => done() }));
  const [stored] = await Promise.all([
    ingestStream(store.layout, blob, { digest, size: layer.descriptor.size, what }, lease),
    checks,
  ]);
  return { descriptor: { mediaType: layer.descriptor.mediaType, digest: stored.digest, size: stored.size }, diffId };
}
