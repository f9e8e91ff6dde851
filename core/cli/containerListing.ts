import type { ContainerSummary } from '../api/containers.schema.js';
import { containerStatus, formatPort, relativeTime, shortId } from '../api/humanize.js';
import { StevedoreError } from '../errors.js';
import { dockerTimestamp } from './dockerTime.js';
import { parseFilters, passesFilters } from './filterFlags.js';
import type { FormatRow } from './formatTemplate.js';

const CONTAINER_FILTERS = ['status', 'name', 'id', 'ancestor', 'exited', 'label'];
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
    Networks: c.network,
  };
}

/** Whether the filters ask about containers that are not running (docker then lists them without -a). */
export function filtersReachStopped(flags: string[]): boolean {
  const filters = parseFilters(flags, CONTAINER_FILTERS);
  return filters.has('exited') || (filters.get('status') ?? []).some((s) => s !== 'running');
}

/**
 * What `ps --filter` keeps, as docker: `status` one of docker's states, `name` a regular expression
 * (a plain name matches as a substring), `id` a prefix, `ancestor` the image by name (any tag of a
 * repository), name:tag or ID prefix, `exited` an exit code, `label` KEY or KEY=VALUE.
 */
export function selectContainers(containers: ContainerSummary[], flags: string[]): ContainerSummary[] {
  const filters = parseFilters(flags, CONTAINER_FILTERS);
  for (const status of filters.get('status') ?? []) {
    if (!STATES.includes(status)) {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "status=${status}": the states are ${STATES.join(', ')}`);
    }
  }
  const names = new Map((filters.get('name') ?? []).map((n) => [n, nameRegex(n)]));
  // docker's label filters must all match (the other keys' values are alternatives).
  const labels = filters.get('label') ?? [];
  return containers.filter((c) =>
    passesFilters(c, filters, (item, key, value) => {
      switch (key) {
        case 'label':
          return labels.every((label) => hasLabel(item, label));
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

/** `label=KEY` (any value) or `label=KEY=VALUE`. */
function hasLabel(container: ContainerSummary, filter: string): boolean {
  const at = filter.indexOf('=');
  const key = at < 0 ? filter : filter.slice(0, at);
  const labels = container.labels ?? {};
  return key in labels && (at < 0 || labels[key] === filter.slice(at + 1));
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
