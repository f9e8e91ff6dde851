import type { LogEntry } from '../api/containers.schema.js';
import { type AttachedOutput, processOutput } from './attachedRun.js';

/** A container's log entries on this process's stdout and stderr (or `out`), as they came (`logs`, `run` through a machine). */
export function writeLogEntries(entries: LogEntry[], timestamps = false, out: AttachedOutput = processOutput): void {
  for (const e of entries) {
    const text = `${timestamps ? `${dockerLogTime(e.time)} ` : ''}${e.text}${e.partial ? '' : '\n'}`;
    (e.stream === 'stderr' ? out.stderr : out.stdout)(text);
  }
}

/** A log time as docker's `logs -t` prints it: UTC with `Z`, its nanoseconds kept (conmon writes `+00:00` or the local offset). */
export function dockerLogTime(time: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (!m) return time;
  const [, seconds, fraction = '', zone] = m;
  if (zone === 'Z' || zone === '+00:00') return `${seconds}${fraction}Z`;
  return `${new Date(`${seconds}${zone}`).toISOString().slice(0, 19)}${fraction}Z`;
}
