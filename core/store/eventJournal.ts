import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * One engine event in docker's own JSON shape (what `docker events --format '{{json .}}'` prints),
 * so that scripts written for docker read it unchanged. `status`, `id` and `from` are docker's
 * older fields, kept for container and image events as docker keeps them.
 */
export interface EngineEvent {
  Type: 'container' | 'image' | 'volume';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  status?: string;
  id?: string;
  from?: string;
}

/** The journal is cut at this size: the full file becomes the one old file, and a new one begins. */
export const JOURNAL_MAX_BYTES = 1024 * 1024;

export function journalPaths(root: string) {
  const current = join(root, 'events.jsonl');
  return { current, previous: `${current}.1` };
}

/** The lock a process holds while it cuts the journal, beside the store's other locks. */
export function journalCutLock(root: string): string {
  return join(root, 'locks', 'events');
}

/**
 * Appends one event to `<root>/events.jsonl`. The CLI has no daemon, so the processes that make
 * events (a `run`, conmon's exit command, the app) all write here and `events` reads it. One
 * `write` with O_APPEND per line, well under a page, so lines from several processes never mix.
 * Bounded: past JOURNAL_MAX_BYTES the file is renamed to `events.jsonl.1` (replacing the one
 * before), so at most twice the limit is kept. Never throws: an event that cannot be recorded
 * must not fail the operation it reports.
 */
export function recordEvent(
  root: string,
  event: Pick<EngineEvent, 'Type' | 'Action'> & { id: string; attributes?: Record<string, string> },
  now = Date.now(),
): void {
  const { current } = journalPaths(root);
  const attributes = event.attributes ?? {};
  const entry: EngineEvent = {
    ...(event.Type !== 'volume' ? { status: event.Action, id: event.id } : {}),
    ...(event.Type === 'container' && attributes.image ? { from: attributes.image } : {}),
    Type: event.Type,
    Action: event.Action,
    Actor: { ID: event.id, Attributes: attributes },
    scope: 'local',
    time: Math.floor(now / 1000),
    timeNano: now * 1_000_000,
  };
  try {
    const size = statSync(current, { throwIfNoEntry: false })?.size ?? 0;
    if (size > JOURNAL_MAX_BYTES) cut(root);
    appendFileSync(current, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  } catch {
    // A store being removed, a full disk: the operation itself went through.
  }
}

/**
 * Cuts the journal under a cross-process lock. Two writers that both saw it full would otherwise
 * both rename it: the second rename replaces the full old file with the one line just written, or
 * finds no file and drops its own event. Held elsewhere, the cut is that process's: this writer
 * appends without waiting (to the old file or the new one, both are read). Under the lock the size
 * is read again, since a cut that ended just before found a new, small file.
 */
function cut(root: string): void {
  const { current, previous } = journalPaths(root);
  const lock = journalCutLock(root);
  mkdirSync(dirname(lock), { recursive: true });
  let release: () => void;
  try {
    // proper-lockfile: a mkdir lock; one left by a crashed writer goes stale and is taken over.
    release = lockfile.lockSync(lock, { realpath: false, stale: 10_000 });
  } catch {
    return;
  }
  try {
    const size = statSync(current, { throwIfNoEntry: false })?.size ?? 0;
    if (size > JOURNAL_MAX_BYTES) renameSync(current, previous);
  } finally {
    release();
  }
}

function parseLines(text: string): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as EngineEvent);
    } catch {
      // A line cut by a crash mid-write: skipped.
    }
  }
  return events;
}

/**
 * Reads the journal from a position on: the events since, and where to go on from. A journal cut
 * meanwhile (its inode changed) is read to its end first, then the new one from its start.
 */
export class JournalReader {
  private ino: number | undefined;
  private offset = 0;
  private rest = '';

  constructor(private readonly root: string) {}

  /** Every event kept (the old file's, then the current one's), leaving the reader at the end. */
  readAll(): EngineEvent[] {
    const { previous } = journalPaths(this.root);
    const old = this.readFile(previous, 0).events;
    return [...old, ...this.readNew()];
  }

  /** The events appended since the last read. */
  readNew(): EngineEvent[] {
    const { current, previous } = journalPaths(this.root);
    const ino = statSync(current, { throwIfNoEntry: false })?.ino;
    const events: EngineEvent[] = [];
    if (this.ino !== undefined && ino !== this.ino) {
      // Cut since the last read: what was ours is now the old file (if nothing cut it again).
      const old = statSync(previous, { throwIfNoEntry: false });
      if (old?.ino === this.ino) events.push(...this.readFile(previous, this.offset).events);
      this.offset = 0;
      this.rest = '';
    }
    this.ino = ino;
    if (ino === undefined) return events;
    const read = this.readFile(current, this.offset);
    this.offset = read.end;
    events.push(...read.events);
    return events;
  }

  private readFile(path: string, from: number): { events: EngineEvent[]; end: number } {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return { events: [], end: from };
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= from) return { events: [], end: from };
      const buffer = Buffer.alloc(size - from);
      const n = readSync(fd, buffer, 0, buffer.length, from);
      const text = this.rest + buffer.subarray(0, n).toString('utf8');
      // A line still being written stays for the next read.
      const cut = text.lastIndexOf('\n') + 1;
      this.rest = text.slice(cut);
      return { events: parseLines(text.slice(0, cut)), end: from + n };
    } finally {
      closeSync(fd);
    }
  }
}
