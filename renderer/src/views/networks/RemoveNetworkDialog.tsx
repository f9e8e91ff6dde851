import { useQueryClient } from '@tanstack/react-query';
import type { NetworkSummary } from '../../../../core/api/networks.schema';
import { invoke } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { useSubmit } from '../../components/useSubmit';
import { networkKeys } from '../../queries/networkQueries';

/**
 * Asks before removing a user network. The engine refuses one a running container is on (docker's
 * "has active endpoints"): its sentence shows here, and the network stays. Stopped containers on
 * it are taken off it.
 */
export function RemoveNetworkDialog({
  network,
  onClose,
  onRemoved,
}: {
  network: NetworkSummary;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const queryClient = useQueryClient();
  const submit = useSubmit();
  const users = network.containers.map((c) => c.name);
  return (
    <Dialog
      title={`Remove ${network.name}?`}
      testId="remove-network-dialog"
      onClose={onClose}
      onSubmit={() => {
        if (submit.pending) return;
        void submit.run(async () => {
          try {
            await invoke('networks.remove', { ref: network.id });
          } finally {
            await queryClient.invalidateQueries({ queryKey: networkKeys.all });
          }
          onRemoved();
        });
      }}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" data-testid="remove-network-confirm" disabled={submit.pending}>
            {submit.pending ? 'Removing…' : 'Remove'}
          </button>
        </>
      }
    >
      <p>
        {users.length > 0
          ? `On it: ${users.join(', ')}. A network a running container is on stays; stopped containers are taken off it.`
          : 'Its bridge and its rules go with it. No container is on it.'}
      </p>
      <FormError error={submit.error} testId="remove-network-error" />
    </Dialog>
  );
}
