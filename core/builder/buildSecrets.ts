import { readFileSync } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import { StevedoreError } from '../errors.js';
import type { RunMount } from './dockerfile/runMount.js';

type SecretMount = Pick<RunMount, 'id' | 'source' | 'target' | 'env' | 'required' | 'mode' | 'uid' | 'gid'>;

/**
 * `--secret id=NAME,src=FILE | env=VAR` as buildx reads it (`source` for `src`, `type=file|env`
 * optional; `id=NAME` alone takes the variable NAME when it is set, else the file NAME). The
 * value is read here, by the face that has the file and the environment, and handed to the
 * build in memory: it is never written into a layer, the history or a cache key.
 */
export function readSecretFlag(spec: string, env: NodeJS.ProcessEnv = process.env): { id: string; value: Buffer } {
  const fields = new Map<string, string>();
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=');
    if (eq < 1)
      throw new StevedoreError('INVALID_ARGUMENT', `invalid --secret "${spec}": expected id=NAME,src=FILE or id=NAME,env=VAR`);
    const key = field.slice(0, eq).trim().toLowerCase();
    if (!['id', 'type', 'src', 'source', 'env'].includes(key))
      throw new StevedoreError('INVALID_ARGUMENT', `invalid --secret "${spec}": unexpected key "${key}"`);
    fields.set(key === 'source' ? 'src' : key, field.slice(eq + 1));
  }
  const type = fields.get('type');
  if (type !== undefined && type !== 'file' && type !== 'env')
    throw new StevedoreError('INVALID_ARGUMENT', `invalid --secret "${spec}": type must be file or env`);
  const src = fields.get('src');
  const variable = fields.get('env') ?? (type === 'env' ? src : undefined);
  const id = fields.get('id') ?? (src ? posix.basename(src) : variable);
  if (!id) throw new StevedoreError('INVALID_ARGUMENT', `invalid --secret "${spec}": the secret needs an id`);
  const fromEnv = variable ?? (src === undefined && type !== 'file' && env[id] !== undefined ? id : undefined);
  if (fromEnv !== undefined) {
    const value = env[fromEnv];
    if (value === undefined)
      throw new StevedoreError('NOT_FOUND', `secret ${id}: the environment variable ${fromEnv} is not set`);
    return { id, value: Buffer.from(value) };
  }
  const file = src ?? id;
  try {
    return { id, value: readFileSync(file) };
  } catch (err) {
    throw new StevedoreError('NOT_FOUND', `secret ${id}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

/** Where a `RUN --mount=type=secret` puts its secret, as BuildKit's dockerfile frontend has it. */
export interface SecretUse {
  id: string;
  /** The file in the container, unless the secret is only an environment variable. */
  target?: string;
  env?: string;
  required: boolean;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * The id defaults to `source` (an alias of it) or the target's base name; the target to
 * `/run/secrets/<id>` unless `env=` asks for a variable alone; the file is 0400 root's.
 */
export function secretUse(mount: SecretMount): SecretUse {
  const id = mount.id ?? mount.source ?? (mount.target ? posix.basename(mount.target) : '');
  const target = mount.target ?? (mount.env ? undefined : `/run/secrets/${id}`);
  return {
    id,
    ...(target !== undefined ? { target } : {}),
    ...(mount.env !== undefined ? { env: mount.env } : {}),
    required: mount.required === true,
    mode: mount.mode ?? 0o400,
    uid: mount.uid ?? 0,
    gid: mount.gid ?? 0,
  };
}

/**
 * The app's secrets (builds.start `secretFiles`): files on the engine's machine by id, read when
 * the build starts and handed to it in memory, as `--secret id=ID,src=FILE` does for the CLI.
 */
export function readSecretFiles(files: Record<string, string>): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [id, file] of Object.entries(files)) {
    if (!isAbsolute(file)) throw new StevedoreError('INVALID_ARGUMENT', `secret ${id}: ${file} is not a full path`);
    try {
      out[id] = readFileSync(file);
    } catch (err) {
      throw new StevedoreError('NOT_FOUND', `secret ${id}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  return out;
}
