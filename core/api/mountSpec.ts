import { cleanPath } from '../text/cleanPath.js';

/**
 * What `--mount` asks for (docker's `type=…,source=…,target=…` list). A bind names a path of the
 * caller's machine; a volume is kept by the engine, by name, or anonymous when it has none; a
 * tmpfs is memory.
 */
export type MountRequest =
  | { type: 'bind'; source: string; target: string; readOnly: boolean }
  | { type: 'volume'; name: string | null; target: string; readOnly: boolean; noCopy: boolean }
  | { type: 'tmpfs'; target: string; sizeBytes: number | null; mode: number | null };

export type MountSpecParse = { ok: true; value: MountRequest } | { ok: false; message: string };

/** docker's local volume names (moby volume/local: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** docker's sizes for tmpfs-size: a number with an optional b/k/m/g suffix (binary units). */
function parseSize(text: string): number | null {
  const match = /^(\d+)([bkmg]?)$/i.exec(text);
  if (!match) return null;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
}

/** docker reads a flag's value as Go's strconv.ParseBool does; a bare key means true. */
function parseBool(value: string | undefined): boolean | null {
  if (value === undefined) return true;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return null;
}

/**
 * docker's `--mount type=bind|volume|tmpfs,src=…,dst=…[,readonly]` (cli/opts/mount.go), with the
 * keys it knows for these three types. A bind's source is returned as given (the caller resolves
 * a relative one); every refusal is one sentence naming the text.
 */
export function parseMountSpec(text: string): MountSpecParse {
  const fail = (why: string): MountSpecParse => ({ ok: false, message: `invalid argument "${text}" for --mount: ${why}` });
  let type = 'volume';
  let source = '';
  let target = '';
  let readOnly = false;
  let noCopy = false;
  let sizeBytes: number | null = null;
  let mode: number | null = null;
  for (const field of text.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    if (key === 'readonly' || key === 'ro' || key === 'volume-nocopy') {
      const flag = parseBool(value);
      if (flag === null) return fail(`invalid value for ${key}: ${value}`);
      if (key === 'volume-nocopy') noCopy = flag;
      else readOnly = flag;
      continue;
    }
    if (value === undefined) return fail(`invalid field '${field}' must be a key=value pair`);
    switch (key) {
      case 'type':
        type = value;
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'tmpfs-size': {
        sizeBytes = parseSize(value);
        if (sizeBytes === null) return fail(`invalid value for tmpfs-size: ${value}`);
        break;
      }
      case 'tmpfs-mode': {
        if (!/^[0-7]{1,4}$/.test(value)) return fail(`invalid value for tmpfs-mode: ${value}`);
        mode = Number.parseInt(value, 8);
        break;
      }
      default:
        return fail(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (!['bind', 'volume', 'tmpfs'].includes(type))
    return fail(`mount type "${type}" is not supported (use bind, volume or tmpfs)`);
  if (target === '') return fail('target is required');
  if (!target.startsWith('/')) return fail(`the target ${target} must be an absolute path`);
  const cleanTarget = cleanPath(target);
  if (cleanTarget === '/') return fail('the target cannot be /');
  if (type !== 'tmpfs' && (sizeBytes !== null || mode !== null)) return fail(`tmpfs options are only for type=tmpfs`);
  if (type !== 'volume' && noCopy) return fail('volume-nocopy is only for type=volume');
  if (type === 'bind') {
    if (source === '') return fail('source is required for a bind mount');
    return { ok: true, value: { type: 'bind', source, target: cleanTarget, readOnly } };
  }
  if (type === 'tmpfs') {
    if (source !== '') return fail('a tmpfs takes no source');
    if (readOnly) return fail('a read-only tmpfs is of no use');
    return { ok: true, value: { type: 'tmpfs', target: cleanTarget, sizeBytes, mode } };
  }
  if (source !== '' && !VOLUME_NAME.test(source)) {
    return fail(`"${source}" is not a volume name: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return { ok: true, value: { type: 'volume', name: source || null, target: cleanTarget, readOnly, noCopy } };
}

/** A MountRequest as `--mount` text again: how the CLI hands engine-kept mounts to the engine. */
export function formatMountSpec(mount: MountRequest): string {
  const fields = [`type=${mount.type}`];
  if (mount.type === 'bind') fields.push(`src=${mount.source}`);
  if (mount.type === 'volume' && mount.name) fields.push(`src=${mount.name}`);
  fields.push(`dst=${mount.target}`);
  if (mount.type !== 'tmpfs' && mount.readOnly) fields.push('readonly');
  if (mount.type === 'volume' && mount.noCopy) fields.push('volume-nocopy');
  if (mount.type === 'tmpfs' && mount.sizeBytes !== null) fields.push(`tmpfs-size=${mount.sizeBytes}`);
  if (mount.type === 'tmpfs' && mount.mode !== null) fields.push(`tmpfs-mode=${mount.mode.toString(8)}`);
  return fields.join(',');
}
