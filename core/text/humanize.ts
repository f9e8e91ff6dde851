/** Human forms of numbers and times, shared by every face so that the CLI and the app agree. */

import type { PortMapping } from '../api/containers.schema.js';

const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, as docker prints sizes: 4.26MB. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)}${units[unit]}`;
}

/**
 * A count with its thousands grouped as English writes them (1,000 images), like the sizes above
 * in the words around them. Not toLocaleString(): its first call loads the browser's locale data,
 * ~40 ms of the app's first paint on the benchmark machine, for a comma.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return String(count);
  const digits = String(Math.abs(count));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return count < 0 ? `-${grouped}` : grouped;
}

const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Binary units with four significant digits, as docker stats prints memory: 1.551MiB, 7.629GiB. */
export function formatBinaryBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toPrecision(4))}${binaryUnits[unit]}`;
}

const spans: [number, string][] = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** "3 days", "About a minute", "Less than a second": how long, as docker says it. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 1) return 'Less than a second';
  for (const [size, name] of spans) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      if (n === 1) return name === 'hour' ? 'About an hour' : name === 'minute' ? 'About a minute' : `1 ${name}`;
      return `${n} ${name}s`;
    }
  }
  return 'Less than a second';
}

/** "3 days ago", "About a minute ago", "N/A" for a missing or unreadable time. */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'N/A';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'N/A';
  const span = humanDuration(now - then);
  return span === 'Less than a second' ? 'Less than a second ago' : `${span} ago`;
}

/** docker ps's STATUS column: "Up 3 minutes", "Exited (0) 2 minutes ago", "Created". */
export function containerStatus(
  container: {
    state: string;
    startedAt: string | null;
    finishedAt: string | null;
    exitCode: number | null;
    health?: string | null | undefined;
  },
  now: number = Date.now(),
): string {
  if (container.state === 'running' || container.state === 'paused') {
    const started = container.startedAt ? Date.parse(container.startedAt) : Number.NaN;
    const up = Number.isNaN(started) ? 'Up' : `Up ${humanDuration(now - started)}`;
    // docker ps: "Up 3 minutes (Paused)"; "Up 5 seconds (healthy)", "(health: starting)", "(unhealthy)".
    if (container.state === 'paused') return `${up} (Paused)`;
    if (container.health === 'starting') return `${up} (health: starting)`;
    return container.health ? `${up} (${container.health})` : up;
  }
  if (container.state === 'exited') {
    return `Exited (${container.exitCode ?? -1}) ${relativeTime(container.finishedAt, now)}`;
  }
  return 'Created';
}

export function shortId(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1).slice(0, 12);
}

/** A published port as docker ps prints it: `127.0.0.1:8080->80/tcp`; no address means every interface. */
export function formatPort(port: PortMapping): string {
  return `${port.hostIp || '0.0.0.0'}:${port.hostPort}->${port.containerPort}/${port.protocol}`;
}
