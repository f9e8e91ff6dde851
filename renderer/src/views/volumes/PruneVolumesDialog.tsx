import { useState } from 'react';
import type { VolumeSummary } from '../../../../core/api/volumes.schema';
import { formatBytes } from '../../../../core/text/humanize';
import { Dialog } from '../../components/Dialog';
import { Checkbox } from '../../components/form/Checkbox';
import { useVolumePrune } from '../../queries/volumeQueries';

/**
 * docker volume prune: the unused anonymous volumes, or with "named too" every unused one. The list
 * shown is what the engine will take (no container uses it); after, what it freed.
 */
export function PruneVolumesDialog({ volumes, onClose }: { volumes: readonly VolumeSummary[]; onClose: () => void }) {
  const [all, setAll] = useState(false);
  const prune = useVolumePrune();
  const going = volumes.filter((v) => v.usedBy.length === 0 && (all || v.anonymous));
  const done = prune.data;
  return (
    <Dialog
      title="Prune volumes"
      testId="prune-volumes-dialog"
      onClose={onClose}
      onSubmit={() => (done ? onClose() : prune.mutate(all))}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </button>
          {!done && (
            <button
              type="submit"
              className="button button--danger"
              data-testid="prune-volumes-confirm"
              disabled={going.length === 0 || prune.isPending}
            >
              {prune.isPending ? 'Pruning…' : `Remove ${going.length} ${going.length === 1 ? 'volume' : 'volumes'}`}
            </button>
          )}
        </>
      }
    >
      {done ? (
        <p data-testid="prune-volumes-result">
          Removed {done.removed.length} {done.removed.length === 1 ? 'volume' : 'volumes'} and freed{' '}
          {formatBytes(done.reclaimedBytes)}.
        </p>
      ) : (
        <>
          <Checkbox label="Named volumes too" checked={all} onChange={setAll} testId="prune-volumes-all" />
          {going.length === 0 ? (
            <p>No volume to prune: every one is in use{all ? '' : ' or has a name'}.</p>
          ) : (
            <ul className="prune-volumes__names">
              {going.map((v) => (
                <li key={v.name}>
                  <code>{v.anonymous ? v.name.slice(0, 12) : v.name}</code>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Dialog>
  );
}
