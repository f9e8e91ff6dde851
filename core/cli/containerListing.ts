import type { ContainerSummary } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';
import { containerStatus, formatPort, relativeTime, shortId } from '../text/humanize.js';
import { dockerTimestamp } from './dockerTime.js';
import { parseFilters, passesFilters } from './filterFlags.js';
import type { FormatRow } from './formatTemplate.js';
import { matchesLabel } from './labelFilter.js';

const CONTAINER_FILTERS = ['status', 'name', 'id', 'ancestor', 'exited', 'label', 'before', 'since'];
const STATES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** `--format`'s fields for a container and the headers `table` prints for them, as docker's. */
export const CONTAINER_FORMAT_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Names: 'NAMES',
  Networks: 'NETWORKS',
};

export function containerFormatRow(c: ContainerSummary, full: boolean): FormatRow {
  return {
    ID: full ? c.id : shortId(c.id),
    Image: c.image,
    Command: `"${c.command}"`,
    CreatedAt: dockerTimestamp(c.created),
    RunningFor: relativeTime(c.created),
    Ports: c.ports.map(formatPort).join(', '),
    State: c.state,
    Status: containerStatus(c),
    Names: c.name,
    Networks: (c.networkNames ?? [c.network]).join(','),
  };
}

/** Whether the filters ask about containers that are not running (docker then lists them without -a). */
export function filtersReachStopped(flags: string[]): boolean {
  const filters = parseFilters(flags, CONTAINER_FILTERS);
  return filters.has('exited') || (filters.get('status') ?? []).some((s) => s !== 'running');
}

/** Whether the filters name other containers (`before`, `since`), which may be stopped ones: ps then needs every container to find them. */
export function filtersNameContainers(flags: string[]): boolean {
  const filters = parseFilters(flags, CONTAINER_FILTERS);
  return filters.has('before') || filters.has('since');
}

/**
 * What `ps --filter` keeps, as docker: `status` one of docker's states, `name` a regular expression
 * (a plain name matches as a substring), `id` a prefix, `ancestor` the image by name (any tag of a
 * repository), name:tag or ID prefix, `exited` an exit code, `label` KEY or KEY=VALUE, `before` and
 * `since` the containers created before or after another, found by name or ID among `everyContainer`
 * (stopped ones too, as docker looks them up; the last value of each counts, as docker's).
 */
export function selectContainers(
  containers: ContainerSummary[],
  flags: string[],
  everyContainer: ContainerSummary[] = containers,
): ContainerSummary[] {
  const filters = parseFilters(flags, CONTAINER_FILTERS);
  const createdBefore = anchorTime(filters.get('before'), everyContainer);
  const createdSince = anchorTime(filters.get('since'), everyContainer);
  filters.delete('before');
  filters.delete('since');
  for (const status of filters.get('status') ?? []) {
    if (!STATES.includes(status)) {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "status=${status}": the states are ${STATES.join(', ')}`);
    }
  }
  const names = new Map((filters.get('name') ?? []).map((n) => [n, nameRegex(n)]));
  // docker's label filters must all match (the other keys' values are alternatives).
  const labels = filters.get('label') ?? [];
  const inWindow = (c: ContainerSummary) => {
    const created = Date.parse(c.created);
    return (createdBefore === undefined || created < createdBefore) && (createdSince === undefined || created > createdSince);
  };
  return containers.filter(
    (c) =>
      inWindow(c) &&
      passesFilters(c, filters, (item, key, value) => {
        switch (key) {
          case 'label':
            return labels.every((label) => matchesLabel(item.labels, label));
          case 'status':
            return item.state === value;
          case 'name':
            return names.get(value)!.test(item.name);
          case 'id':
            return item.id.startsWith(value);
          case 'ancestor':
            return isAncestor(item, value);
          default:
            return item.state === 'exited' && String(item.exitCode) === value;
        }
      }),
  );
}

/** The creation time of the container a `before`/`since` filter names (by name, ID or unique ID prefix, as docker). */
function anchorTime(values: string[] | undefined, containers: ContainerSummary[]): number | undefined {
  const ref = values?.at(-1);
  if (ref === undefined) return undefined;
  const found = containers.find((c) => c.name === ref || c.id === ref);
  const byPrefix = found ? [found] : /^[0-9a-f]+$/.test(ref) ? containers.filter((c) => c.id.startsWith(ref)) : [];
  if (byPrefix.length > 1) throw new StevedoreError('CONFLICT', `container ID prefix ${ref} is ambiguous; give more of it`);
  if (!byPrefix[0]) throw new StevedoreError('NOT_FOUND', `no such container: ${ref}`);
  return Date.parse(byPrefix[0].created);
}

function nameRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "name=${pattern}": not a regular expression`);
  }
}

function isAncestor(c: ContainerSummary, image: string): boolean {
  const id = image.replace(/^sha256:/, '');
  if (/^[a-f0-9]{3,64}$/.test(id) && c.imageId.replace(/^sha256:/, '').startsWith(id)) return true;
  const named = c.image.replace(/^docker\.io\/(library\/)?/, '');
  return named === image || named.replace(/:[^:/]+$/, '') === image;
}

/** docker's `ps -n/--last`: how many of the last created containers, any state; -1 (the default) or 0 is no limit. */
export function parseLast(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new StevedoreError('INVALID_ARGUMENT', `invalid -n/--last "${text}": expected a whole number`);
  return Number(text);
}
