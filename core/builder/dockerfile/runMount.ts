/**
 * RUN `--mount=type=cache,target=/root/.cache,…` as BuildKit reads it: CSV fields, `type`
 * (bind by default), key aliases (`src`, `dst`, `ro` …), values expanded with the variables in
 * scope except `from`, which must name a stage or an image literally.
 */

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type CacheSharing = 'shared' | 'private' | 'locked';

export interface RunMount {
  type: MountType;
  /** Where it appears in the container; relative targets are relative to the WORKDIR. */
  target?: string;
  /** Path inside `from` (bind, cache) or the secret's source. */
  source?: string;
  /** A stage name or an image reference (bind, cache). */
  from?: string;
  readOnly: boolean;
  /** Cache or secret id. */
  id?: string;
  sharing?: CacheSharing;
  mode?: number;
  uid?: number;
  gid?: number;
  required?: boolean;
  /** tmpfs size in bytes. */
  size?: number;
  /** Secret exposed as this environment variable. */
  env?: string;
}

export class MountError extends Error {
  override name = 'MountError';
}

const mountTypes: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const sharingModes: readonly CacheSharing[] = ['shared', 'private', 'locked'];

/** The `from=` of a mount, read before anything is expanded (it may not use variables). */
export function mountSource(value: string): string | undefined {
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    if (eq < 0 || field.slice(0, eq).toLowerCase() !== 'from') continue;
    const from = field.slice(eq + 1);
    if (/\$./.test(from)) throw new MountError("'from' doesn't support variable expansion, define alias stage instead");
    return from;
  }
  return undefined;
}

export function parseMount(value: string, expandValue: (word: string) => string): RunMount {
  const mount: RunMount = { type: 'bind', readOnly: true };
  let readOnlyGiven = false;
  for (const field of csvFields(value)) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq >= 0 ? field.slice(0, eq) : field).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') mount.readOnly = true;
      else if (key === 'readwrite' || key === 'rw') mount.readOnly = false;
      else if (key === 'required' && (mount.type === 'secret' || mount.type === 'ssh')) mount.required = true;
      else if (key === 'required') throw new MountError(`unexpected key '${key}' for mount type '${mount.type}'`);
      else throw new MountError(`invalid field '${field}' must be a key=value pair`);
      readOnlyGiven ||= key !== 'required';
      continue;
    }
    const raw = field.slice(eq + 1);
    const v = key === 'from' ? raw : expandValue(raw);
    switch (key) {
      case 'type': {
        const type = v.toLowerCase() as MountType;
        if (!mountTypes.includes(type)) throw new MountError(`unsupported mount type "${v}" (use ${mountTypes.join(', ')})`);
        mount.type = type;
        break;
      }
      case 'from':
        mount.from = v;
        break;
      case 'source':
      case 'src':
        mount.source = v;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        mount.target = v;
        break;
      case 'readonly':
      case 'ro':
        mount.readOnly = parseBool(key, v);
        readOnlyGiven = true;
        break;
      case 'readwrite':
      case 'rw':
        mount.readOnly = !parseBool(key, v);
        readOnlyGiven = true;
        break;
      case 'required':
        if (mount.type !== 'secret' && mount.type !== 'ssh')
          throw new MountError(`unexpected key '${key}' for mount type '${mount.type}'`);
        mount.required = parseBool(key, v);
        break;
      case 'size':
        if (mount.type !== 'tmpfs') throw new MountError(`unexpected key '${key}' for mount type '${mount.type}'`);
        mount.size = ramBytes(v);
        break;
      case 'id':
        mount.id = v;
        break;
      case 'sharing': {
        const sharing = v.toLowerCase() as CacheSharing;
        if (!sharingModes.includes(sharing))
          throw new MountError(`unsupported sharing value "${v}" (use ${sharingModes.join(', ')})`);
        mount.sharing = sharing;
        break;
      }
      case 'mode':
        if (!/^[0-7]+$/.test(v)) throw new MountError(`invalid value ${v} for mode`);
        mount.mode = Number.parseInt(v, 8);
        break;
      case 'uid':
      case 'gid':
        if (!/^\d+$/.test(v)) throw new MountError(`invalid value ${v} for ${key}`);
        mount[key] = Number(v);
        break;
      case 'env':
        mount.env = v;
        break;
      default:
        throw new MountError(`unexpected key '${key}' in '${field}'`);
    }
  }
  return validated(mount, readOnlyGiven);
}

function validated(mount: RunMount, readOnlyGiven: boolean): RunMount {
  const fileInfo = mount.type === 'secret' || mount.type === 'ssh' || mount.type === 'cache';
  for (const key of ['mode', 'uid', 'gid'] as const) {
    if (!fileInfo && mount[key] !== undefined) throw new MountError(`${key} not allowed for "${mount.type}" type mounts`);
  }
  if (!readOnlyGiven) mount.readOnly = !(mount.type === 'cache' || mount.type === 'tmpfs');
  if (mount.type === 'secret') {
    if (mount.from !== undefined) throw new MountError('secret mount should not have a from');
    if (mount.sharing !== undefined) throw new MountError('secret mount should not define sharing');
    if (!mount.source && !mount.target && !mount.id) throw new MountError('invalid secret mount. one of source, target required');
    if (mount.source && mount.id) throw new MountError("both source and id can't be set");
  }
  if (mount.sharing !== undefined && mount.type !== 'cache')
    throw new MountError(`invalid cache sharing set for ${mount.type} mount`);
  if ((mount.type === 'bind' || mount.type === 'cache' || mount.type === 'tmpfs') && !mount.target) {
    throw new MountError(`a ${mount.type} mount needs a target (target=/path)`);
  }
  return mount;
}

function parseBool(key: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (['1', 't', 'true'].includes(lower)) return true;
  if (['0', 'f', 'false'].includes(lower)) return false;
  throw new MountError(`invalid value for ${key}: ${value}`);
}

/** docker/go-units RAMInBytes: `64m`, `1g`, `512k`, `100` (binary multiples). */
function ramBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(value.trim());
  if (!match) throw new MountError(`invalid value for size: ${value}`);
  const power = ' kmgtp'.indexOf((match[2] || ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** One CSV record: comma-separated fields, `"…"` quoting with `""` for a quote. */
function csvFields(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new MountError(`failed to parse csv mounts: unterminated quote in ${text}`);
  fields.push(field);
  return fields;
}
