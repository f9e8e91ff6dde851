import { formatBytes } from '../../../../../core/text/humanize';
import { ProgressBar } from '../../../components/ProgressBar';
import { useTransferStore } from '../../../state/transferStore';
import { transferTotals } from '../../transfers/transferStats';

/**
 * One transfer's bytes as a bar, from the engine's `transfer.progress` events under its id (a
 * load or pull this window started): indeterminate until the engine has listed what it moves.
 */
export function TransferProgressBar({ transferId, label, testId }: { transferId: string; label: string; testId?: string }) {
  const entry = useTransferStore((s) => s.transfers.find((t) => t.transferId === transferId));
  const totals = entry ? transferTotals(entry) : null;
  const text = totals?.total != null ? `${formatBytes(totals.done)} of ${formatBytes(totals.total)}` : undefined;
  const tone = entry?.state === 'done' ? 'done' : entry?.state === 'failed' ? 'failed' : 'active';
  return (
    <div className="transfer-progress" data-testid={testId}>
      <ProgressBar value={totals?.percent ?? null} label={label} tone={tone} {...(text ? { valueText: text } : {})} />
      <span className="transfer-progress__text">{text ?? 'Starting…'}</span>
    </div>
  );
}
