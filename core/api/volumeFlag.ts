import { cleanPath } from '../text/cleanPath.js';
import { formatMountSpec, parseMountSpec, VOLUME_NAME } from './mountSpec.js';
import { parseVolumeSpec } from './volumeSpec.js';

/**
 * Where a `-v`/`--mount` goes in a RunRequest: a bind of the caller's files into `volumes`
 * (`HOST:CONTAINER[:ro]`, an absolute host path, which a machine's runtime translates to its share
 * of the host), anything the engine keeps itself (named and anonymous volumes, tmpfs) into
 * `mounts` as `--mount` text (those live wherever the engine runs, a machine's guest included).
 */
export type RunMount = { ok: true; field: 'volumes' | 'mounts'; text: string } | { ok: false; message: string };

/** A relative host path made absolute against `cwd`, as docker's CLI does before it sends the request. */
function absolute(path: string, cwd: string): string {
  return cleanPath(path.startsWith('/') ? path : `${cwd}/${path}`);
}

/** A host path must fit in `-v`'s colon-separated text. */
function bindText(source: string, target: string, readOnly: boolean): RunMount {
  if (source.includes(':')) return { ok: false, message: `the host path ${source} contains ":", which -v cannot carry` };
  const parsed = parseVolumeSpec(`${source}:${target}${readOnly ? ':ro' : ''}`);
  if (!parsed.ok) return parsed;
  return { ok: true, field: 'volumes', text: `${parsed.value.source}:${parsed.value.target}${readOnly ? ':ro' : ''}` };
}

/**
 * `-v`'s options, comma-separated as docker takes them: `ro`/`rw`, `nocopy` (a volume left empty),
 * and the ones that change nothing here, accepted as docker accepts them on such a host: `z`/`Z`
 * (SELinux relabelling; no SELinux policy runs containers here) and `consistent`/`cached`/
 * `delegated` (Docker Desktop's file-sharing hints).
 */
function parseModes(mode: string | undefined): { readOnly: boolean; noCopy: boolean } | string {
  if (mode === undefined) return { readOnly: false, noCopy: false };
  const modes = mode.split(',');
  for (const m of modes) {
    if (!['ro', 'rw', 'nocopy', 'z', 'Z', 'consistent', 'cached', 'delegated'].includes(m)) {
      return `unknown mode "${m}" (use ro or rw, and nocopy for a volume)`;
    }
  }
  if (modes.includes('ro') && modes.includes('rw')) return 'ro and rw together';
  return { readOnly: modes.includes('ro'), noCopy: modes.includes('nocopy') };
}

/**
 * docker's `-v`: `/path` is an anonymous volume; `NAME:/path[:ro]` a named one (created on first
 * use); `HOST:/path[:ro]` a bind, where HOST is absolute or starts with `.` (docker 23+ takes
 * `./dir` and resolves it against the caller's directory).
 */
export function routeVolumeFlag(text: string, cwd: string): RunMount {
  const parts = text.split(':');
  const fail = (why: string): RunMount => ({ ok: false, message: `invalid volume "${text}": ${why}` });
  if (parts.length === 1) {
    const target = parts[0] ?? '';
    if (!target.startsWith('/')) return fail('the container path must be absolute');
    if (cleanPath(target) === '/') return fail('the container path cannot be /');
    return { ok: true, field: 'mounts', text: `type=volume,dst=${cleanPath(target)}` };
  }
  if (parts.length > 3) return fail('expected HOST:CONTAINER[:ro] or NAME:CONTAINER[:ro]');
  const [source = '', target = '', mode] = parts;
  const modes = parseModes(mode);
  if (typeof modes === 'string') return fail(modes);
  const { readOnly, noCopy } = modes;
  if (source.startsWith('/') || source.startsWith('.')) {
    if (noCopy) return fail('nocopy is only for volumes');
    const routed = bindText(absolute(source, cwd), target, readOnly);
    return routed.ok ? routed : fail(routed.message.replace(/^invalid volume "[^"]*": /, ''));
  }
  if (!VOLUME_NAME.test(source)) {
    return fail(
      `"${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed; for a host directory give an absolute path or one starting with ./`,
    );
  }
  if (!target.startsWith('/')) return fail('the container path must be absolute');
  if (cleanPath(target) === '/') return fail('the container path cannot be /');
  return {
    ok: true,
    field: 'mounts',
    text: formatMountSpec({ type: 'volume', name: source, target: cleanPath(target), readOnly, noCopy }),
  };
}

/** docker's `--mount`: a bind goes to `volumes` (its source made absolute), the rest to `mounts`. */
export function routeMountFlag(text: string, cwd: string): RunMount {
  const parsed = parseMountSpec(text);
  if (!parsed.ok) return parsed;
  const mount = parsed.value;
  if (mount.type === 'bind') return bindText(absolute(mount.source, cwd), mount.target, mount.readOnly);
  return { ok: true, field: 'mounts', text: formatMountSpec(mount) };
}

/**
 * docker's `--tmpfs PATH[:OPTIONS]` as the `--mount type=tmpfs` it means: `size=` and `mode=` carry
 * over; `rw`, `noexec`, `nosuid` and `nodev` are what a tmpfs gets anyway; anything else is refused.
 */
export function routeTmpfsFlag(text: string, cwd: string): RunMount {
  const colon = text.indexOf(':');
  const target = colon === -1 ? text : text.slice(0, colon);
  const fields = [`type=tmpfs`, `dst=${target}`];
  for (const option of colon === -1
    ? []
    : text
        .slice(colon + 1)
        .split(',')
        .filter(Boolean)) {
    const [key, value] = option.split('=', 2);
    if (key === 'size' && value) fields.push(`tmpfs-size=${value}`);
    else if (key === 'mode' && value) fields.push(`tmpfs-mode=${value}`);
    else if (!['rw', 'noexec', 'nosuid', 'nodev'].includes(option)) {
      return {
        ok: false,
        message: `invalid --tmpfs "${text}": option "${option}" is not supported (size=, mode=, rw, noexec, nosuid, nodev)`,
      };
    }
  }
  return routeMountFlag(fields.join(','), cwd);
}
