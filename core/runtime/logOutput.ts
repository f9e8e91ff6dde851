import type { LogEntry } from '../api/containers.schema.js';
import { type AttachedOutput, processOutput } from './attachedRun.js';

/** A container's log entries on this process's stdout and stderr (or `out`), as they came (`logs`, `run` through a machine). */
export function writeLogEntries(entries: LogEntry[], timestamps = false, out: AttachedOutput = processOutput): void {
  for (const e of entries) {
    const text = `${timestamps ? `${e.time} ` : ''}${e.text}${e.partial ? '' : '\n'}`;
    (e.stream === 'stderr' ? out.stderr : out.stdout)(text);
  }
}
