import { closeSync, existsSync, openSync, readSync, statSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import type { LogEntry } from '../api/containers.schema.js';

/**
 * The container's log, in the format conmon writes (kubernetes' CRI "k8s-file"): one line per
 * record, `TIME STREAM TAG TEXT`, where TAG `P` marks a piece of a longer line whose end is a
 * later `F` record. A cursor is a byte offset just after a complete line.
 */
export interface LogRead {
  entries: LogEntry[];
  cursor: number;
}

function parseRecords(text: string, final: boolean): LogEntry[] {
  const entries: LogEntry[] = [];
  const pending = new Map<LogEntry['stream'], LogEntry>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [time = '', stream, tag, ...rest] = line.split(' ');
    if (stream !== 'stdout' && stream !== 'stderr') continue;
    const piece = rest.join(' ');
    const open = pending.get(stream);
    const entry: LogEntry = open ? { ...open, text: open.text + piece } : { time, stream, text: piece };
    if (tag === 'P') pending.set(stream, entry);
    else {
      pending.delete(stream);
      entries.push(entry);
    }
  }
  // The container has ended: a piece whose end never came is its last output.
  if (final) for (const entry of pending.values()) entries.push({ ...entry, partial: true });
  return entries;
}

function readRange(file: string, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, end - start));
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(fd, buffer, done, buffer.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/**
 * Records from `after` to the last complete line; a `P` piece waits for its `F` end, unless
 * `final` (the container has ended and nothing more will come).
 */
export function readLog(file: string, after = 0, final = false): LogRead {
  if (!existsSync(file)) return { entries: [], cursor: after };
  const size = statSync(file).size;
  if (size <= after) return { entries: [], cursor: Math.min(after, size) };
  const bytes = readRange(file, after, size);
  const lines = bytes
    .subarray(0, bytes.lastIndexOf(0x0a) + 1)
    .toString('utf8')
    .split('\n');
  lines.pop();
  // Stop after the last full (F) record, so that a long line is never split between two reads.
  let keep = lines.length;
  while (!final && keep > 0 && lines[keep - 1]?.split(' ', 3)[2] === 'P') keep--;
  const complete = lines.slice(0, keep);
  const consumed = complete.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
  return { entries: parseRecords(complete.join('\n'), final), cursor: after + consumed };
}

/** The last `count` entries, and the cursor for what comes after them. */
export function tailLog(file: string, count: number): LogRead {
  const all = readLog(file, 0, true);
  return { entries: count === 0 ? [] : all.entries.slice(-count), cursor: all.cursor };
}

/** Resolves when the log grows past `cursor`, `stop()` says so, or after `timeoutMs`. */
export function waitForLog(file: string, cursor: number, stop: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const grown = () => existsSync(file) && statSync(file).size > cursor;
    let watcher: ReturnType<typeof watch> | undefined;
    const finish = () => {
      clearInterval(poll);
      clearTimeout(timer);
      watcher?.close();
      resolve();
    };
    try {
      // The directory: the log growing and the exit file appearing (what `stop` looks for) both show there.
      watcher = watch(dirname(file), () => (grown() || stop()) && finish());
    } catch {
      watcher = undefined;
    }
    // A watch can miss events (some filesystems have none): poll too.
    const poll = setInterval(() => (grown() || stop()) && finish(), 250);
    const timer = setTimeout(finish, timeoutMs);
    // Looked at after the watch is set, so that nothing happens unseen in between.
    if (grown() || stop()) finish();
  });
}
