import type { Ulimit } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';

/** The resources docker's `--ulimit` names (go-units' ulimitNameMapping), and their RLIMIT_ names. */
const RLIMITS: Record<string, string> = {
  as: 'RLIMIT_AS',
  core: 'RLIMIT_CORE',
  cpu: 'RLIMIT_CPU',
  data: 'RLIMIT_DATA',
  fsize: 'RLIMIT_FSIZE',
  locks: 'RLIMIT_LOCKS',
  memlock: 'RLIMIT_MEMLOCK',
  msgqueue: 'RLIMIT_MSGQUEUE',
  nice: 'RLIMIT_NICE',
  nofile: 'RLIMIT_NOFILE',
  nproc: 'RLIMIT_NPROC',
  rss: 'RLIMIT_RSS',
  rtprio: 'RLIMIT_RTPRIO',
  rttime: 'RLIMIT_RTTIME',
  sigpending: 'RLIMIT_SIGPENDING',
  stack: 'RLIMIT_STACK',
};

/**
 * docker's `--ulimit NAME=SOFT[:HARD]` (a hard limit not given is the soft one), each resource
 * once: a later flag for the same one replaces the earlier, as docker's map does. Refused in one
 * line: an unknown name, a value that is no whole number, a soft limit over the hard one.
 */
export function parseUlimits(texts: readonly string[]): Ulimit[] {
  const byName = new Map<string, Ulimit>();
  for (const text of texts) {
    const refuse = (why: string) => new StevedoreError('INVALID_ARGUMENT', `invalid --ulimit "${text}": ${why}`);
    const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text.trim());
    if (!match) throw refuse('expected NAME=SOFT[:HARD], such as nofile=1024:2048');
    const name = match[1]!;
    if (!(name in RLIMITS)) throw refuse(`no such limit; one of ${Object.keys(RLIMITS).join(', ')}`);
    const soft = Number(match[2]);
    const hard = match[3] === undefined ? soft : Number(match[3]);
    for (const value of [soft, hard]) {
      if (!Number.isSafeInteger(value) || value < -1) throw refuse('a limit is a whole number, or -1 for unlimited');
    }
    if (hard !== -1 && (soft === -1 || soft > hard)) throw refuse('the soft limit must not be over the hard limit');
    byName.set(name, { name, soft, hard });
  }
  return [...byName.values()];
}

/**
 * RLIM_INFINITY, which the runtime spec writes as a uint64 (2^64 - 1) that a JavaScript number
 * cannot hold: the spec carries this marker, and specText writes the number in its place.
 */
const UNLIMITED = 'stevedore:RLIM_INFINITY';

/** The runtime spec's `process.rlimits` for the limits asked. */
export function ociRlimits(limits: readonly Ulimit[]): { type: string; soft: number | string; hard: number | string }[] {
  const value = (n: number) => (n === -1 ? UNLIMITED : n);
  return limits.map((l) => ({ type: RLIMITS[l.name]!, soft: value(l.soft), hard: value(l.hard) }));
}

/** config.json's text: the spec as JSON, an unlimited rlimit written as the uint64 runc reads. */
export function specText(spec: unknown, indent?: number): string {
  return JSON.stringify(spec, null, indent).replaceAll(`"${UNLIMITED}"`, '18446744073709551615');
}

/** config.json read back (an exec's process comes from it): an unlimited rlimit stays the marker, not a rounded number. */
export function parseSpecText(text: string): unknown {
  return JSON.parse(text, (key, value) =>
    (key === 'soft' || key === 'hard') && typeof value === 'number' && value >= 2 ** 63 ? UNLIMITED : value,
  );
}
