import type { VolumeSummary } from '../../../../core/api/volumes.schema';
import { Dialog } from '../../components/Dialog';
import { useVolumeRemove } from '../../queries/volumeQueries';

/** Asks before removing; a volume a container uses (running or not) cannot go, and this says which. */
export function RemoveVolumeDialog({
  volume,
  names,
  onClose,
}: {
  volume: VolumeSummary;
  names: ReadonlyMap<string, string>;
  onClose: () => void;
}) {
  const remove = useVolumeRemove();
  const users = volume.usedBy.map((id) => names.get(id) ?? id.slice(0, 12));
  return (
    <Dialog
      title={`Remove ${volume.name}?`}
      testId="remove-volume-dialog"
      onClose={onClose}
      onSubmit={() => {
        if (users.length === 0) remove.mutate(volume.name, { onSettled: onClose });
      }}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button--danger"
            data-testid="remove-volume-confirm"
            disabled={users.length > 0 || remove.isPending}
          >
            Remove
          </button>
        </>
      }
    >
      {users.length > 0 ? (
        <p role="alert">
          Used by {users.join(', ')}. Remove {users.length === 1 ? 'that container' : 'those containers'} first.
        </p>
      ) : (
        <p>Its files go with it. No container uses it.</p>
      )}
    </Dialog>
  );
}
