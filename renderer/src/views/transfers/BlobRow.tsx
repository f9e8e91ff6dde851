import type { TransferProgress } from '../../../../core/api/events.schema';
import { formatBytes, shortId } from '../../../../core/text/humanize';
import { ProgressBar } from '../../components/ProgressBar';
import type { TransferEntry } from '../../state/transferMerge';
import { blobPercent, blobStateText } from './transferStats';

type Tone = 'active' | 'done' | 'skipped' | 'failed' | 'stopped';

function tone(blob: TransferProgress, entry: TransferEntry): Tone {
  if (blob.state === 'exists' || blob.state === 'mounted') return 'skipped';
  if (blob.state === 'done') return 'done';
  if (blob.state === 'failed') return entry.state === 'cancelled' || blob.stopped ? 'stopped' : 'failed';
  return entry.state === 'running' ? 'active' : 'stopped';
}

function bytesText(blob: TransferProgress): string {
  if (blob.bytesTotal === null) return formatBytes(blob.bytesDone);
  if (blob.state === 'exists' || blob.state === 'mounted' || blob.state === 'done') return formatBytes(blob.bytesTotal);
  return `${formatBytes(blob.bytesDone)} / ${formatBytes(blob.bytesTotal)}`;
}

/** One blob of a transfer: what it is, its bar, its state in words, and its bytes. */
export function BlobRow({ blob, entry }: { blob: TransferProgress; entry: TransferEntry }) {
  const state = blobStateText(blob, entry);
  const short = blob.digest.includes(':') ? shortId(blob.digest) : blob.digest;
  const percent = blobPercent(blob);
  // Neither a cancel nor a stop is this blob's own failure: no red, no error line.
  const cancelled = entry.state === 'cancelled' || blob.stopped === true;
  return (
    <li className="blob-row" data-testid="transfer-blob" data-digest={blob.digest} data-state={blob.state}>
      <span className={`blob-row__kind kind-${blob.kind}`}>{blob.kind}</span>
      <code className="blob-row__digest" title={blob.digest}>
        {short}
      </code>
      <ProgressBar
        value={percent}
        label={`${blob.kind} ${short}`}
        valueText={`${state}, ${bytesText(blob)}`}
        tone={tone(blob, entry)}
        size="thin"
      />
      <span
        className={`blob-row__state is-${cancelled ? 'cancelled' : blob.state}`}
        data-testid="blob-state"
        title={blob.stopped ? 'Stopped when another blob failed' : blob.error}
      >
        {state}
      </span>
      <span className="blob-row__bytes">{bytesText(blob)}</span>
      {blob.error && !cancelled && (
        <span className="blob-row__error" data-testid="blob-error">
          {blob.error}
        </span>
      )}
    </li>
  );
}
