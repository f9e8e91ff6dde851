import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ContainerDirectory } from '../api/containerFiles.schema.js';
import {
  AGENT_ARCHIVE_PATH,
  AGENT_ARCHIVE_STAT_PATH,
  AGENT_COMMIT_LAYER_PATH,
  AGENT_PATH_KIND_HEADER,
  AGENT_PATH_NAME_HEADER,
  type AgentCommitLayer,
} from '../client/agentArchiveProtocol.js';
import type { Digest } from '../digest/digest.js';
import { type ErrorCode, StevedoreError } from '../errors.js';
import { decompressor, layerCompression } from '../layers/decompress.js';
import type { ContainerCopyBackend, ExtractOptions, PathKind } from '../runtime/containerCopy.js';
import type { Store } from '../store/store.js';
import type { AgentEndpoint } from './agentClient.js';
import { agentHttp, bodyText, jsonBody } from './agentHttp.js';
import { fetchGuestLayer } from './guestLayer.js';

const PATH_KINDS: readonly PathKind[] = ['directory', 'file', 'symlink', 'other'];

/** The agent's refusal as the guest's engine said it (the same code and sentence as a native `cp`). */
async function guestError(res: IncomingMessage): Promise<StevedoreError> {
  const text = await bodyText(res);
  try {
    const { code, message } = JSON.parse(text) as { code: ErrorCode; message: string };
    return new StevedoreError(code, message);
  } catch {
    return new StevedoreError('INTERNAL', `the machine's agent answered HTTP ${res.statusCode}`);
  }
}

function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) params.set(key, value);
  return params.toString();
}

/**
 * `cp`, `export` and the app's Files tab through a machine: the copy is made by the guest's engine
 * (confined to the container's root and frozen as any `cp` there), and the tar streams over the
 * agent's HTTP port as the images' blobs do (core/client/agentArchiveProtocol.ts), at TCP speed
 * and without a bound of its own. The Files tab's listing and single-file download are the
 * engine protocol's own calls, bounded there (5,000 entries, 32 MiB).
 */
export class GuestCopy implements ContainerCopyBackend {
  constructor(
    private readonly agent: () => Promise<AgentEndpoint>,
    private readonly call: <T>(method: string, args: unknown) => Promise<T>,
  ) {}

  async stat(ref: string, path: string, follow = true): Promise<PathKind | undefined> {
    const res = await agentHttp(
      await this.agent(),
      'GET',
      `${AGENT_ARCHIVE_STAT_PATH}?${query({ id: ref, path, follow: follow ? '1' : undefined })}`,
    );
    if (res.statusCode !== 200) throw await guestError(res);
    const { kind } = JSON.parse(await bodyText(res)) as { kind: PathKind | null };
    return kind ?? undefined;
  }

  async readArchive(
    ref: string,
    path: string,
    follow: boolean,
    consume: (tar: Readable, kind: PathKind, name: string) => Promise<void>,
  ): Promise<void> {
    const res = await agentHttp(
      await this.agent(),
      'GET',
      `${AGENT_ARCHIVE_PATH}?${query({ id: ref, path, follow: follow ? '1' : undefined })}`,
    );
    if (res.statusCode !== 200) throw await guestError(res);
    const kind = res.headers[AGENT_PATH_KIND_HEADER] as PathKind;
    const name = decodeURIComponent(String(res.headers[AGENT_PATH_NAME_HEADER] ?? ''));
    if (!PATH_KINDS.includes(kind)) {
      res.destroy();
      throw new StevedoreError('INTERNAL', `the machine's agent sent an archive of an unknown kind "${kind}"`);
    }
    try {
      await consume(res, kind, name);
    } catch (err) {
      // The guest holds the container frozen while it sends: hanging up lets it go.
      res.destroy();
      if (err instanceof StevedoreError) throw err;
      // Cut short by the guest (the tar ended before its end): said as that, not as a socket's word.
      throw new StevedoreError('INTERNAL', `the copy from the machine ended early: ${(err as Error).message}`);
    }
  }

  async writeArchive(ref: string, path: string, tar: Readable, options: ExtractOptions): Promise<void> {
    const res = await agentHttp(
      await this.agent(),
      'PUT',
      `${AGENT_ARCHIVE_PATH}?${query({
        id: ref,
        path,
        keepOwners: options.keepOwners ? '1' : undefined,
        renameFrom: options.rename?.from,
        renameTo: options.rename?.to,
      })}`,
      { stream: tar, type: 'application/x-tar' },
    );
    if (res.statusCode !== 200) throw await guestError(res);
    res.resume();
  }

  list(ref: string, path: string): Promise<ContainerDirectory> {
    return this.call<ContainerDirectory>('containers.files', { id: ref, path });
  }

  readFile(ref: string, path: string): Promise<{ name: string; size: number; base64: string }> {
    return this.call('containers.readFile', { id: ref, path });
  }
}

/**
 * `commit`'s layer through a machine: made by the guest's engine from the container's upper
 * directory and stored there, then fetched into this store by its digest (checked against it and
 * its diff ID on arrival, core/vm/guestLayer.ts), and given to the commit as its tar. The commit
 * compresses that tar again with the same deterministic gzip, so its image names the same blob.
 */
export async function guestLayerTar(
  store: Store,
  agent: AgentEndpoint,
  ref: string,
): Promise<{ tar: Readable; imageId: string }> {
  const res = await agentHttp(agent, 'POST', `${AGENT_COMMIT_LAYER_PATH}?${query({ id: ref })}`, jsonBody({}));
  if (res.statusCode !== 200) throw await guestError(res);
  const made = JSON.parse(await bodyText(res)) as AgentCommitLayer;
  const lease = store.newLease();
  try {
    const layer = await fetchGuestLayer(store, agent, lease, made.layer, `the container's layer from the machine`);
    const what = `the container's layer ${layer.descriptor.digest}`;
    const blob = createReadStream(store.blobPath(layer.descriptor.digest as Digest));
    const unpacked = decompressor(layerCompression(layer.descriptor.mediaType), what);
    const tar = unpacked ? blob.pipe(unpacked) : blob;
    blob.on('error', (err) => tar.destroy(err));
    // Held until the commit has read it (and leased it under its own name).
    tar.once('close', () => lease.release());
    return { tar: tar as Readable, imageId: made.imageId };
  } catch (err) {
    lease.release();
    throw err;
  }
}
