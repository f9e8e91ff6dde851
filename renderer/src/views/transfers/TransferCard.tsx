import { useId, useState } from 'react';
import { formatBytes } from '../../../../core/text/humanize';
import { ProgressBar } from '../../components/ProgressBar';
import { PullIcon, PushIcon } from '../../components/transferIcons';
import { sentence } from '../../components/useSubmit';
import { cancelTransfer } from '../../queries/transferActions';
import { movedBytes, type TransferEntry } from '../../state/transferMerge';
import { BlobRow } from './BlobRow';
import { formatDuration, formatEta, formatSpeed, transferSpeed, transferTotals } from './transferStats';

const stateText: Record<TransferEntry['state'], string> = {
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Below this, an average speed is mostly request latency. */
const MEANINGFUL_SPEED_BYTES = 1_000_000;

const verb = { pull: 'Pull', push: 'Push', load: 'Load', save: 'Save' } as const;

/** What the line under the total bar says: bytes, speed and time left; or how it ended. */
function statsText(entry: TransferEntry, now: number): string {
  const totals = transferTotals(entry);
  const speed = transferSpeed(entry, now);
  if (entry.state === 'running') {
    if (entry.blobs.length === 0) return entry.cancelling ? 'Cancelling…' : 'Contacting the registry…';
    const parts = [
      totals.total === null ? formatBytes(totals.done) : `${formatBytes(totals.done)} of ${formatBytes(totals.total)}`,
    ];
    if (speed !== null) parts.push(formatSpeed(speed));
    const eta = formatEta(totals, speed);
    if (eta) parts.push(eta);
    return parts.join(' · ');
  }
  const parts: string[] = [];
  if (entry.state === 'done' && totals.total !== null) parts.push(formatBytes(totals.total));
  else if (totals.total !== null) parts.push(`${formatBytes(totals.done)} of ${formatBytes(totals.total)}`);
  const took = formatDuration(entry);
  if (took) parts.push(entry.state === 'done' ? `in ${took}` : `stopped after ${took}`);
  if (entry.state !== 'done' || totals.total === null) return parts.join(' · ');
  // What the other side already had did not move: say how much did, and its speed only when it means something.
  const moved = movedBytes(entry.blobs);
  if (moved < totals.total) parts.push(`${formatBytes(moved)} transferred`);
  if (speed !== null && moved >= MEANINGFUL_SPEED_BYTES) parts.push(`${formatSpeed(speed)} average`);
  return parts.join(' · ');
}

/** One pull or push: its total bar with speed and ETA, a cancel button while it runs, and each blob. */
export function TransferCard({ entry, now }: { entry: TransferEntry; now: number }) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  const titleId = useId();
  const totals = transferTotals(entry);
  const running = entry.state === 'running';
  const tone = running ? 'active' : entry.state === 'done' ? 'done' : entry.state === 'failed' ? 'failed' : 'stopped';
  const stats = statsText(entry, now);
  const skipped = entry.blobs.filter((b) => b.state === 'exists' || b.state === 'mounted').length;

  return (
    <article
      className={`transfer is-${entry.state}`}
      aria-labelledby={titleId}
      data-testid="transfer"
      data-transfer-id={entry.transferId}
      data-state={entry.state}
      data-operation={entry.operation}
    >
      <header className="transfer__header">
        <span className="transfer__icon" aria-hidden="true">
          {entry.operation === 'push' ? <PushIcon /> : <PullIcon />}
        </span>
        <h2 id={titleId} className="transfer__title">
          <span className="transfer__verb">{verb[entry.operation]}</span>{' '}
          <code data-testid="transfer-subject">{entry.subject}</code>
        </h2>
        <span className={`status-pill is-${entry.state}`} data-testid="transfer-state">
          {entry.cancelling && running ? 'Cancelling…' : stateText[entry.state]}
        </span>
        {/* A load runs to its end in the engine (transfers.cancel knows pulls and pushes). */}
        {running && entry.operation !== 'load' && (
          <button
            type="button"
            className="button button--small"
            disabled={entry.cancelling}
            aria-label={`Cancel the ${entry.operation} of ${entry.subject}`}
            data-testid="transfer-cancel"
            onClick={() => {
              setCancelError(null);
              cancelTransfer(entry.transferId).catch((err: Error) => setCancelError(sentence(err.message)));
            }}
          >
            Cancel
          </button>
        )}
      </header>
      {/* One that ended before the engine listed a blob (a tag that does not exist) has nothing to draw. */}
      {(running || entry.blobs.length > 0) && (
        <ProgressBar
          // Only a running transfer may be of unknown size: one that ended stands still.
          value={running ? totals.percent : entry.state === 'done' ? 100 : (totals.percent ?? 0)}
          label={`${verb[entry.operation]} of ${entry.subject}`}
          valueText={stats}
          tone={tone}
          testId="transfer-total"
        />
      )}
      <p className="transfer__stats" data-testid="transfer-stats">
        <span>{stats}</span>
        {skipped > 0 && (
          <span className="transfer__skipped">
            {skipped} {skipped === 1 ? 'blob' : 'blobs'} already there
          </span>
        )}
      </p>
      {entry.error && entry.state !== 'done' && (
        <p
          className={`transfer__error${entry.state === 'cancelled' ? ' is-cancelled' : ''}`}
          role={entry.state === 'failed' ? 'alert' : undefined}
          data-testid="transfer-error"
        >
          {sentence(entry.error)}
        </p>
      )}
      {cancelError && (
        <p className="transfer__error" role="alert">
          {cancelError}
        </p>
      )}
      {entry.blobs.length > 0 && (
        <ul className="transfer__blobs" aria-label={`Blobs of the ${entry.operation}`}>
          {entry.blobs.map((blob) => (
            <BlobRow key={blob.digest} blob={blob} entry={entry} />
          ))}
        </ul>
      )}
    </article>
  );
}
