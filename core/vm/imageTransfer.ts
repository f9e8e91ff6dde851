import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { InvokeResponse } from '../api/contract.js';
import type { LoadResult } from '../api/images.schema.js';
import { AGENT_LOAD_PATH } from '../client/agentProtocol.js';
import type { EngineConnection } from '../client/engineConnection.js';
import type { Engine } from '../engine.js';
import { type ErrorCode, StevedoreError } from '../errors.js';
import type { AgentEndpoint } from './agentClient.js';

export interface ImageTransfer {
  /** Whether the guest already had the image under that name. */
  present: boolean;
  bytes: number;
  ms: number;
}

/**
 * Makes `ref` in the guest's store the same image as in the host's (the same config digest under
 * the same name), sending it if not: saved from the host's store as an archive and PUT to the
 * agent, which loads it as `stevedore load` does, checking every blob against its digest. What
 * the guest has it keeps, on its data disk.
 */
export async function ensureImageInGuest(
  engine: Engine,
  connection: EngineConnection,
  agent: AgentEndpoint,
  ref: string,
): Promise<ImageTransfer> {
  const started = performance.now();
  const wanted = engine.inspectImage(ref).id;
  const there = (await connection.invoke('images.inspect', { ref })) as InvokeResponse;
  if (there.ok && (there.value as { id: string }).id === wanted) return { present: true, bytes: 0, ms: 0 };
  const dir = join(engine.store.root, 'tmp', 'machine');
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, `${randomBytes(8).toString('hex')}.tar`);
  try {
    await engine.saveImages([ref], archive);
    const bytes = statSync(archive).size;
    await putArchive(agent, archive, bytes);
    return { present: false, bytes, ms: performance.now() - started };
  } finally {
    rmSync(archive, { force: true });
  }
}

function putArchive(agent: AgentEndpoint, archive: string, bytes: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: agent.port,
        method: 'PUT',
        path: AGENT_LOAD_PATH,
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/x-tar', 'content-length': bytes },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          try {
            const parsed = JSON.parse(body) as LoadResult & { code?: string; message?: string };
            if (res.statusCode === 200) resolve(parsed);
            else
              reject(
                new StevedoreError((parsed.code ?? 'INTERNAL') as ErrorCode, `the machine refused the image: ${parsed.message}`),
              );
          } catch {
            reject(new StevedoreError('INTERNAL', `the machine's agent answered the image with HTTP ${res.statusCode}`));
          }
        });
      },
    );
    req.on('error', (err) =>
      reject(new StevedoreError('UNREACHABLE', `the image could not be sent to the machine: ${err.message}`)),
    );
    createReadStream(archive).pipe(req);
  });
}
