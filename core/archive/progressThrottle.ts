/** How often a transfer's bytes are reported, at most: enough for a bar, few enough for the event stream. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Reports a blob's bytes at most every PROGRESS_INTERVAL_MS, for a download (ImportSession) and an
 * upload (push) alike. A report held back by the interval is sent at the interval's end, so the
 * bytes that moved just before a stall (a slow registry, a held connection) are told rather than
 * left off the bar for as long as the stall lasts.
 */
export class ProgressThrottle {
  private last = 0;
  private latest = 0;
  private trailing: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly report: (done: number) => void) {}

  update(done: number): void {
    this.latest = done;
    if (this.trailing !== undefined) return;
    const wait = this.last + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) this.send();
    else this.trailing = setTimeout(() => this.send(), wait);
  }

  /** No more reports: the caller tells the end (done, verifying, failed) itself. */
  stop(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private send(): void {
    this.trailing = undefined;
    this.last = Date.now();
    this.report(this.latest);
  }
}
