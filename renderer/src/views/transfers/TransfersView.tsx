import { useMemo } from 'react';
import { TransfersIcon } from '../../components/transferIcons';
import { useTicker } from '../../components/useTicker';
import { useTransferStore } from '../../state/transferStore';
import { PullButton } from '../pull/PullButton';
import { TransferCard } from './TransferCard';

/**
 * Pulls and pushes, running and finished, newest first. The state lives in the transfer store,
 * fed by engine events whichever view is on screen, so leaving this view loses nothing.
 */
export function TransfersView() {
  const transfers = useTransferStore((s) => s.transfers);
  const hidden = useTransferStore((s) => s.hidden);
  const clearFinished = useTransferStore((s) => s.clearFinished);
  const shown = useMemo(() => transfers.filter((t) => !hidden.has(t.transferId)), [transfers, hidden]);
  const running = shown.filter((t) => t.state === 'running').length;
  const finished = shown.length - running;
  // Speed and time left change with time alone when a transfer stalls.
  useTicker(running > 0);
  const now = Date.now();

  const summary = [running > 0 ? `${running} running` : null, finished > 0 ? `${finished} finished` : null]
    .filter(Boolean)
    .join(' · ');

  return (
    <div className="view transfers-view">
      <div className="view-header">
        <div className="view-header__title">
          <h1>Transfers</h1>
          <span className="view-header__summary" data-testid="transfers-summary" aria-live="polite">
            {summary}
          </span>
        </div>
        <div className="view-header__actions">
          {finished > 0 && (
            <button type="button" className="button" data-testid="clear-finished" onClick={clearFinished}>
              Clear finished
            </button>
          )}
          <PullButton testId="transfers-pull-button" />
        </div>
      </div>
      {shown.length === 0 ? (
        <section className="empty-state" data-testid="transfers-empty" aria-labelledby="transfers-empty-title">
          <div className="empty-state__icon">
            <TransfersIcon width={32} height={32} />
          </div>
          <h2 id="transfers-empty-title">No transfers</h2>
          <p>
            Pulls and pushes show here while they run, each blob with its own bar, and stay a while after they finish. Start one
            with Pull, or with Push in an image's details.
          </p>
        </section>
      ) : (
        <div className="transfers-view__list" data-testid="transfers-list">
          {shown.map((entry) => (
            <TransferCard key={entry.transferId} entry={entry} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
