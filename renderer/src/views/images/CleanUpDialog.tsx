import { useState } from 'react';
import type { PruneResult } from '../../../../core/api/images.schema';
import { formatBytes } from '../../../../core/text/humanize';
import { invoke } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { PruneActions } from '../../components/PruneActions';
import { useSubmit } from '../../components/useSubmit';
import { usePrunePreview } from '../../queries/imageQueries';

const MAX_NAMES = 6;

function imageNames(result: PruneResult): string {
  const names = result.images.map((i) => i.names[0] ?? i.id.slice('sha256:'.length, 'sha256:'.length + 12));
  const more = names.length - MAX_NAMES;
  return names.slice(0, MAX_NAMES).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

const count = (n: number) => `${n} ${n === 1 ? 'image' : 'images'}`;

/**
 * "Clean up": prune the dangling images, or every image no container uses. The engine's dry run
 * says first what goes and the space it frees; after, the space freed.
 */
export function CleanUpDialog({ onClose }: { onClose: () => void }) {
  const [all, setAll] = useState(false);
  const preview = usePrunePreview(all);
  const submit = useSubmit();
  const [done, setDone] = useState<PruneResult | null>(null);
  const nothing = preview.data?.images.length === 0;
  return (
    <Dialog
      title="Clean up images"
      testId="clean-up-dialog"
      onClose={onClose}
      onSubmit={() => {
        if (done) return onClose();
        void submit.run(async () => setDone(await invoke('images.prune', { all })));
      }}
      actions={
        <PruneActions
          done={done !== null}
          onCancel={onClose}
          confirmLabel="Clean up"
          pendingLabel="Cleaning up…"
          pending={submit.pending}
          disabled={!preview.data || nothing}
          testIds={{ confirm: 'clean-up-submit', close: 'clean-up-close' }}
        />
      }
    >
      {done ? (
        <p className="clean-up__result" data-testid="clean-up-result" data-bytes={done.reclaimedBytes}>
          Removed {count(done.images.length)} and freed <strong>{formatBytes(done.reclaimedBytes)}</strong>.
        </p>
      ) : (
        <>
          <fieldset className="clean-up__choice" disabled={submit.pending}>
            <legend>Remove</legend>
            <label>
              <input type="radio" name="prune" checked={!all} onChange={() => setAll(false)} data-autofocus />
              Dangling images (no name)
            </label>
            <label>
              <input type="radio" name="prune" checked={all} onChange={() => setAll(true)} />
              Every image no container uses
            </label>
          </fieldset>
          <p className="clean-up__preview" data-testid="clean-up-preview" data-bytes={preview.data?.reclaimedBytes ?? ''}>
            {!preview.data
              ? 'Working out what this frees…'
              : nothing
                ? 'Nothing to remove.'
                : `Frees ${formatBytes(preview.data.reclaimedBytes)}: ${count(preview.data.images.length)} (${imageNames(preview.data)}). Layers other images use stay.`}
          </p>
        </>
      )}
      <FormError error={submit.error ?? (preview.error ? preview.error.message : null)} testId="clean-up-error" />
    </Dialog>
  );
}
