import type { LogEntry } from '../api/containers.schema.js';

/** A container's log entries on this process's stdout and stderr, as they came (`logs`, `run` through a machine). */
export function writeLogEntries(entries: LogEntry[], timestamps = false): void {
  for (const e of entries) {
    const text = `${timestamps ? `${e.time} ` : ''}${e.text}${e.partial ? '' : '\n'}`;
    (e.stream === 'stderr' ? process.stderr : process.stdout).write(text);
  }
}
