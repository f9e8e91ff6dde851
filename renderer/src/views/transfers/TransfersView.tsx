import { useEffect, useMemo } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { TransfersIcon } from '../../components/transferIcons';
import { useNow } from '../../components/useNow';
import { ViewHeader } from '../../components/ViewHeader';
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
  const unseen = useTransferStore((s) => s.unseenFailures.length + s.toasts.length);
  const failuresSeen = useTransferStore((s) => s.failuresSeen);
  // On screen here, a failure is seen: the sidebar's badge and the toasts go.
  useEffect(() => {
    if (unseen > 0) failuresSeen();
  }, [unseen, failuresSeen]);
  const shown = useMemo(() => transfers.filter((t) => !hidden.has(t.transferId)), [transfers, hidden]);
  const running = shown.filter((t) => t.state === 'running').length;
  const finished = shown.length - running;
  // Speed and time left change with time alone when a transfer stalls: the shared clock re-renders
  // the view each second while one runs. They are measured to this very moment, though: progress
  // events re-render it between ticks, and the clock's time may be most of a second old by then.
  useNow(running > 0);
  const now = Date.now();

  const summary = [running > 0 ? `${running} running` : null, finished > 0 ? `${finished} finished` : null]
    .filter(Boolean)
    .join(' · ');

  return (
    <div className="view transfers-view">
      <ViewHeader title="Transfers" summary={summary} summaryTestId="transfers-summary">
        {finished > 0 && (
          <button type="button" className="button" data-testid="clear-finished" onClick={clearFinished}>
            Clear finished
          </button>
        )}
        <PullButton testId="transfers-pull-button" />
      </ViewHeader>
      {shown.length === 0 ? (
        <EmptyState icon={TransfersIcon} title="No transfers" testId="transfers-empty">
          <p>
            Pulls and pushes show here while they run, each blob with its own bar, and stay a while after they finish. Start one
            with Pull, or with Push in an image's details.
          </p>
        </EmptyState>
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
