import type { VolumeSummary } from '../api/volumes.schema.js';
import { StevedoreError } from '../errors.js';
import type { FormatRow } from './formatTemplate.js';

/** `volume ls --format`'s fields and their column headers, as docker names them. */
export const VOLUME_FORMAT_HEADERS: Record<string, string> = {
  Name: 'VOLUME NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  Mountpoint: 'MOUNTPOINT',
  Labels: 'LABELS',
};

export function volumeFormatRow(v: VolumeSummary): FormatRow {
  return {
    Name: v.name,
    Driver: v.driver,
    Scope: 'local',
    Mountpoint: v.mountpoint,
    Labels: Object.entries(v.labels)
      .map(([k, value]) => `${k}=${value}`)
      .join(','),
  };
}

type Test = (v: VolumeSummary) => boolean;

function filterTest(flag: string): { key: string; test: Test } {
  const eq = flag.indexOf('=');
  const key = eq < 0 ? flag : flag.slice(0, eq);
  const value = eq < 0 ? '' : flag.slice(eq + 1);
  switch (key) {
    case 'dangling': {
      if (!['true', 'false', '1', '0'].includes(value)) {
        throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "${flag}": dangling takes true or false`);
      }
      const dangling = value === 'true' || value === '1';
      return { key, test: (v) => (v.usedBy.length === 0) === dangling };
    }
    case 'name':
      return { key, test: (v) => v.name.includes(value) };
    case 'label': {
      const at = value.indexOf('=');
      const name = at < 0 ? value : value.slice(0, at);
      return { key, test: (v) => name in v.labels && (at < 0 || v.labels[name] === value.slice(at + 1)) };
    }
    default:
      throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "${flag}": use dangling=, name= or label=`);
  }
}

/** docker's `volume ls --filter`: filters of one key match any (or), of different keys all (and). */
export function selectVolumes(volumes: VolumeSummary[], flags: string[]): VolumeSummary[] {
  const byKey = new Map<string, Test[]>();
  for (const flag of flags) {
    const { key, test } = filterTest(flag);
    byKey.set(key, [...(byKey.get(key) ?? []), test]);
  }
  return volumes.filter((v) => [...byKey.values()].every((tests) => tests.some((t) => t(v))));
}
