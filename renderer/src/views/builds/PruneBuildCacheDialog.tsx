import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes } from '../../../../core/text/humanize';
import { invoke } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { PruneActions } from '../../components/PruneActions';
import { useSubmit } from '../../components/useSubmit';
import { imageKeys } from '../../queries/imageQueries';

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * `builder prune`: what the build cache holds first (system df's count, and the bytes only the
 * cache keeps: what a prune gives back), then builds.prune and what it freed. Asked afresh each
 * time the dialog opens, so the size is the store's now.
 */
export function PruneBuildCacheDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const usage = useQuery({ queryKey: ['builds', 'cacheUsage'], queryFn: () => invoke('store.df', {}), gcTime: 0 });
  const submit = useSubmit();
  const [done, setDone] = useState<{ entries: number; reclaimedBytes: number } | null>(null);
  const cache = usage.data?.buildCache;
  return (
    <Dialog
      title="Prune the build cache"
      testId="build-cache-dialog"
      onClose={onClose}
      onSubmit={() => {
        if (done) return onClose();
        if (submit.pending) return;
        void submit.run(async () => {
          try {
            setDone(await invoke('builds.prune', {}));
          } finally {
            await queryClient.invalidateQueries({ queryKey: imageKeys.diskUsage() });
          }
        });
      }}
      actions={
        <PruneActions
          done={done !== null}
          onCancel={onClose}
          confirmLabel="Prune"
          pendingLabel="Pruning…"
          pending={submit.pending}
          disabled={!cache || cache.count === 0}
          testIds={{ confirm: 'build-cache-prune-confirm', close: 'build-cache-close' }}
        />
      }
    >
      {done ? (
        <p data-testid="build-cache-result" data-bytes={done.reclaimedBytes}>
          Removed {entries(done.entries)} and freed <strong>{formatBytes(done.reclaimedBytes)}</strong>.
        </p>
      ) : !cache ? (
        <p>{usage.isError ? 'The store’s disk use could not be read.' : 'Working out what the cache holds…'}</p>
      ) : cache.count === 0 ? (
        <p data-testid="build-cache-held" data-bytes={cache.bytes}>
          The build cache is empty.
        </p>
      ) : (
        <>
          <p data-testid="build-cache-held" data-bytes={cache.bytes}>
            The build cache holds {entries(cache.count)}, keeping <strong>{formatBytes(cache.bytes)}</strong> of layers no image
            uses.
          </p>
          <p>Pruning forgets every entry: the next build runs each of its steps again. Images and their layers stay.</p>
        </>
      )}
      <FormError error={submit.error ?? (usage.error ? usage.error.message : null)} testId="build-cache-error" />
    </Dialog>
  );
}
