import { closeSync, openSync, writeSync } from 'node:fs';

/** A timestamp in conmon's shape (RFC 3339, nine fraction digits, explicit offset), to the millisecond. */
function timestamp(): string {
  return `${new Date().toISOString().slice(0, 23)}000000+00:00`;
}

/**
 * Writes a container's output in conmon's k8s-file format (`TIME STREAM F|P TEXT`), for the runs
 * this process watches itself: one record per complete line, a `P` record for a last line that
 * never got its newline.
 */
export class LogWriter {
  private readonly fd: number;
  private readonly pending = new Map<'stdout' | 'stderr', string>();

  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  write(stream: 'stdout' | 'stderr', text: string): void {
    const lines = ((this.pending.get(stream) ?? '') + text).split('\n');
    this.pending.set(stream, lines.pop() ?? '');
    if (lines.length > 0) writeSync(this.fd, lines.map((l) => `${timestamp()} ${stream} F ${l}\n`).join(''));
  }

  end(): void {
    for (const [stream, rest] of this.pending) if (rest) writeSync(this.fd, `${timestamp()} ${stream} P ${rest}\n`);
    this.pending.clear();
    closeSync(this.fd);
  }
}
