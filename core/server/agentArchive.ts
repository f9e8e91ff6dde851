import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import {
  AGENT_ARCHIVE_PATH,
  AGENT_ARCHIVE_STAT_PATH,
  AGENT_COMMIT_LAYER_PATH,
  AGENT_PATH_KIND_HEADER,
  AGENT_PATH_NAME_HEADER,
  type AgentCommitLayer,
} from '../client/agentArchiveProtocol.js';
import type { Engine } from '../engine.js';
import { describeError, StevedoreError } from '../errors.js';
import { storeLayerTar } from '../layers/storeLayer.js';
import type { RequestTarget } from './requestTarget.js';

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}

function answerError(res: ServerResponse, err: unknown): void {
  const { code, message } = describeError(err);
  // Headers gone means a tar was under way: ending the connection early is what tells the host.
  if (res.headersSent) return void res.destroy();
  answer(res, code === 'NOT_FOUND' ? 404 : 400, { code, message });
}

function required(target: RequestTarget, name: string): string {
  const value = target.query.get(name);
  if (!value) throw new StevedoreError('INVALID_ARGUMENT', `the request names no ${name}`);
  return value;
}

/**
 * The agent's half of a container's files (core/client/agentArchiveProtocol.ts): this engine's own
 * runtime does the copy, confined and frozen as for any `cp` here, and the bytes stream through.
 * Undefined when the request is not one of these.
 */
export function archiveHandler(
  engine: Engine,
  req: IncomingMessage,
  target: RequestTarget,
): ((res: ServerResponse) => Promise<void>) | undefined {
  const follow = target.query.get('follow') === '1';
  if (req.method === 'GET' && target.path === AGENT_ARCHIVE_STAT_PATH) {
    return async (res) => {
      try {
        const kind = await engine.containerCopy().stat(required(target, 'id'), required(target, 'path'), follow);
        answer(res, 200, { kind: kind ?? null });
      } catch (err) {
        answerError(res, err);
      }
    };
  }
  if (req.method === 'GET' && target.path === AGENT_ARCHIVE_PATH) {
    return async (res) => {
      try {
        await engine
          .containerCopy()
          .readArchive(required(target, 'id'), required(target, 'path'), follow, async (tar, kind, name) => {
            res.writeHead(200, {
              'content-type': 'application/x-tar',
              [AGENT_PATH_KIND_HEADER]: kind,
              [AGENT_PATH_NAME_HEADER]: encodeURIComponent(name),
              connection: 'close',
            });
            await pipeline(tar, res);
          });
      } catch (err) {
        answerError(res, err);
      }
    };
  }
  if (req.method === 'PUT' && target.path === AGENT_ARCHIVE_PATH) {
    return async (res) => {
      try {
        const from = target.query.get('renameFrom');
        const to = target.query.get('renameTo');
        await engine.containerCopy().writeArchive(required(target, 'id'), required(target, 'path'), req, {
          keepOwners: target.query.get('keepOwners') === '1',
          rename: from && to ? { from, to } : undefined,
        });
        answer(res, 200, {});
      } catch (err) {
        req.resume();
        answerError(res, err);
      }
    };
  }
  if (req.method === 'POST' && target.path === AGENT_COMMIT_LAYER_PATH) {
    return async (res) => {
      req.resume();
      // The layer is only leased until answered: the host fetches it at once, and what the guest
      // stores unreferenced goes at its next gc.
      const lease = engine.store.newLease();
      try {
        const { tar, imageId } = await engine.containerExtras().layerTar(required(target, 'id'));
        const layer = await storeLayerTar(engine.store, lease, tar);
        const body: AgentCommitLayer = {
          layer: {
            descriptor: { mediaType: layer.descriptor.mediaType, digest: layer.descriptor.digest, size: layer.descriptor.size },
            diffId: layer.diffId,
          },
          imageId,
        };
        answer(res, 200, body);
      } catch (err) {
        answerError(res, err);
      } finally {
        lease.release();
      }
    };
  }
  return undefined;
}
