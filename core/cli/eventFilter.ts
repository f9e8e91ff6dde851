import { StevedoreError } from '../errors.js';
import type { EngineEvent } from '../store/eventJournal.js';

const KEYS = new Set(['type', 'event', 'container', 'image', 'volume']);

/** `events --filter`s, by key: as docker, values of one key are alternatives, keys all apply. */
export type EventFilters = Map<string, string[]>;

export function parseEventFilters(texts: string[]): EventFilters {
  const filters: EventFilters = new Map();
  for (const text of texts) {
    const at = text.indexOf('=');
    const key = at > 0 ? text.slice(0, at) : '';
    if (!KEYS.has(key)) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `invalid filter '${text}': the filters are ${[...KEYS].map((k) => `${k}=`).join(', ')}`,
      );
    }
    filters.set(key, [...(filters.get(key) ?? []), text.slice(at + 1)]);
  }
  return filters;
}

/** docker's matching: a container by full ID, ID prefix or name; an image by its ID or name. */
export function eventMatches(event: EngineEvent, filters: EventFilters): boolean {
  const { ID: id, Attributes: attributes } = event.Actor;
  const test: Record<string, (value: string) => boolean> = {
    type: (v) => event.Type === v,
    event: (v) => event.Action === v,
    container: (v) => event.Type === 'container' && (id === v || (v.length >= 3 && id.startsWith(v)) || attributes.name === v),
    image: (v) =>
      (event.Type === 'container' && attributes.image === v) || (event.Type === 'image' && (id === v || attributes.name === v)),
    volume: (v) => event.Type === 'volume' && id === v,
  };
  for (const [key, values] of filters) {
    if (!values.some((v) => test[key]!(v))) return false;
  }
  return true;
}

/**
 * docker's line: `2024-05-04T12:00:00.123456789Z container start ID (image=busybox, name=web)`,
 * the attributes sorted by key.
 */
export function eventLine(event: EngineEvent): string {
  // timeNano is past 2^53: as a JavaScript number it is exact to the millisecond only, which is what the journal records.
  const ms = Math.round(event.timeNano / 1_000_000);
  const nanos = String((ms % 1000) * 1_000_000).padStart(9, '0');
  const time = `${new Date(ms).toISOString().slice(0, 19)}.${nanos}Z`;
  const attributes = Object.entries(event.Actor.Attributes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`);
  return `${time} ${event.Type} ${event.Action} ${event.Actor.ID}${attributes.length > 0 ? ` (${attributes.join(', ')})` : ''}`;
}
