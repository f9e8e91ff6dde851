import type { TransferProgress } from '../api/events.schema.js';
import type { PullResult, PushResult } from '../api/registry.schema.js';
import { formatBytes, shortId } from '../text/humanize.js';

type Operation = 'pull' | 'push';

/** The words docker prints for each state, so the output reads familiar. */
function label(event: TransferProgress, operation: Operation): string {
  switch (event.state) {
    case 'queued':
      return 'Waiting';
    case 'exists':
      return operation === 'pull' ? 'Already exists' : 'Layer already exists';
    case 'mounted':
      return 'Mounted';
    case 'transferring':
      return operation === 'pull' ? 'Downloading' : 'Pushing';
    case 'verifying':
      return 'Verifying';
    case 'done':
      return operation === 'pull' ? 'Pull complete' : 'Pushed';
    case 'failed':
      return `Failed: ${event.error ?? ''}`.trim();
  }
}

const BAR = 30;

function bar(done: number, total: number | null): string {
  if (!total) return '';
  const filled = Math.min(BAR, Math.floor((done / total) * BAR));
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 && filled < BAR ? '>' : filled === BAR ? '=' : ''}${' '.repeat(BAR - filled)}] ${formatBytes(done)}/${formatBytes(total)}`;
}

/**
 * Prints a pull's or push's blobs. On a terminal: one line per blob with a bar, plus a total with
 * speed, redrawn in place. Elsewhere (a pipe, a log): one line each time a blob changes state.
 */
export class TransferPrinter {
  private readonly blobs = new Map<string, TransferProgress>();
  private readonly lastState = new Map<string, string>();
  private drawn = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  /** Whether any blob was actually transferred (docker's "Downloaded newer image" vs "up to date"). */
  transferred = false;
  mounted = new Map<string, string>();

  constructor(
    private readonly operation: Operation,
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly tty = !!process.stdout.isTTY,
  ) {}

  update(event: TransferProgress): void {
    if (event.kind === 'manifest' || event.kind === 'index') return;
    this.blobs.set(event.digest, event);
    if (event.state === 'done' || event.state === 'transferring') this.transferred = true;
    if (this.tty) {
      const now = Date.now();
      if (event.state === 'transferring' && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.draw();
      return;
    }
    // A mount is printed at the end, with the repository it came from (the event does not say).
    if (event.state === 'mounted' || this.lastState.get(event.digest) === event.state) return;
    this.lastState.set(event.digest, event.state);
    this.out.write(`${shortId(event.digest)}: ${label(event, this.operation)}\n`);
  }

  private draw(): void {
    const lines = [...this.blobs.values()].map((e) => {
      const progress = e.state === 'transferring' ? `  ${bar(e.bytesDone, e.bytesTotal)}` : '';
      return `${shortId(e.digest)}: ${label(e, this.operation)}${progress}`;
    });
    const all = [...this.blobs.values()];
    const total = all.reduce((s, e) => s + (e.bytesTotal ?? 0), 0);
    const done = all.reduce((s, e) => s + (e.state === 'exists' || e.state === 'mounted' ? (e.bytesTotal ?? 0) : e.bytesDone), 0);
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    lines.push(`Total ${bar(done, total)}  ${formatBytes(done / seconds)}/s`);
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.out.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    this.drawn = lines.length;
  }

  /** The last picture, so that the final states stay on screen. */
  finish(): void {
    if (this.tty && this.blobs.size > 0) this.draw();
  }
}

/** What `pull` prints once the image is stored, after its blobs (in-process or through a running engine). */
export function pullSummary(result: Pick<PullResult, 'digest' | 'platforms' | 'reference'>): string {
  const platforms = result.platforms.length > 1 ? `Platforms: ${result.platforms.join(', ')}\n` : '';
  return `Digest: ${result.digest}\n${platforms}${result.reference}\n`;
}

/** What `push` prints once the registry holds the image: the mounts (with where from), then the digest. */
export function pushSummary(result: Pick<PushResult, 'blobs' | 'digest' | 'reference' | 'size'>): string {
  const mounts = result.blobs.filter((b) => b.outcome === 'mounted').map((b) => `${shortId(b.digest)}: Mounted from ${b.from}\n`);
  return `${mounts.join('')}${result.reference}: digest: ${result.digest} size: ${result.size}\n`;
}
