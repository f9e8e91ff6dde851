import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { NetworkPruneResult, NetworkSummary } from '../../../../core/api/networks.schema';
import { invoke } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { PruneActions } from '../../components/PruneActions';
import { useSubmit } from '../../components/useSubmit';
import { networkKeys } from '../../queries/networkQueries';

const count = (n: number) => `${n} ${n === 1 ? 'network' : 'networks'}`;

/**
 * docker network prune: every user network no container names. The list shown first is what the
 * engine will take by that rule (the built-in three never go); after, what it removed.
 */
export function PruneNetworksDialog({ networks, onClose }: { networks: readonly NetworkSummary[]; onClose: () => void }) {
  const queryClient = useQueryClient();
  const submit = useSubmit();
  const [done, setDone] = useState<NetworkPruneResult | null>(null);
  const going = networks.filter((n) => n.userDefined && n.containers.length === 0);
  return (
    <Dialog
      title="Prune networks"
      testId="prune-networks-dialog"
      onClose={onClose}
      onSubmit={() => {
        if (done) return onClose();
        if (submit.pending) return;
        void submit.run(async () => {
          try {
            setDone(await invoke('networks.prune', {}));
          } finally {
            await queryClient.invalidateQueries({ queryKey: networkKeys.all });
          }
        });
      }}
      actions={
        <PruneActions
          done={done !== null}
          onCancel={onClose}
          confirmLabel={`Remove ${count(going.length)}`}
          pendingLabel="Pruning…"
          pending={submit.pending}
          disabled={going.length === 0}
          testIds={{ confirm: 'prune-networks-confirm', close: 'prune-networks-close' }}
        />
      }
    >
      {done ? (
        <p data-testid="prune-networks-result">
          {done.removed.length === 0
            ? 'Removed no network: each one is in use.'
            : `Removed ${count(done.removed.length)}: ${done.removed.join(', ')}.`}
        </p>
      ) : going.length === 0 ? (
        <p>No network to prune: a container names each user network, and the built-in ones stay.</p>
      ) : (
        <>
          <p>No container names these; the built-in networks and those in use stay.</p>
          <ul className="prune-networks__names" data-testid="prune-networks-list">
            {going.map((n) => (
              <li key={n.id}>
                <code>{n.name}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <FormError error={submit.error} testId="prune-networks-error" />
    </Dialog>
  );
}
