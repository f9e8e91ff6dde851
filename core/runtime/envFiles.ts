import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { RunRequest } from '../api/containers.schema.js';
import { parseEnvFile } from '../api/envFileFormat.js';
import { StevedoreError } from '../errors.js';

/** Far more than any env file; what is bigger is not one (and is not read into the engine's memory). */
const MAX_BYTES = 1024 * 1024;

/**
 * docker's --env-file as the engine reads it for the app's Run dialog: each path on this machine,
 * a regular file (a FIFO or a device would hang or flood the engine), read by docker's rules
 * (core/api/envFileFormat.ts). A bare KEY takes the caller's value in the CLI; the engine has no
 * caller's environment, so such a line is left out, as docker leaves out a name its CLI's
 * environment lacks.
 */
export async function readEnvFiles(paths: readonly string[]): Promise<string[]> {
  const entries: string[] = [];
  for (const path of paths) {
    const text = await readSmallFile(path);
    try {
      entries.push(...parseEnvFile(text, () => undefined));
    } catch (err) {
      throw new StevedoreError('INVALID_ARGUMENT', `the env file ${path}, ${(err as Error).message}`);
    }
  }
  return entries;
}

/** The request with its env files' lines put before its `env`, as docker's CLI orders them. */
export async function withEnvFiles(request: RunRequest): Promise<RunRequest> {
  if (!request.envFiles || request.envFiles.length === 0) return request;
  const { envFiles, ...rest } = request;
  return { ...rest, env: [...(await readEnvFiles(envFiles)), ...(rest.env ?? [])] };
}

async function readSmallFile(path: string): Promise<string> {
  if (!isAbsolute(path)) {
    throw new StevedoreError('INVALID_ARGUMENT', `the env file ${path} must be a full path: it is read on the engine's machine`);
  }
  const cannot = (why: string) => new StevedoreError('INVALID_ARGUMENT', `cannot read the env file ${path}: ${why}`);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below refuses it.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch((err: unknown) => {
    throw cannot((err as NodeJS.ErrnoException).code ?? String(err));
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw cannot('not a regular file');
    if (stat.size > MAX_BYTES) throw cannot('over 1 MiB, too big for an env file');
    const buffer = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(buffer, 0, stat.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
