import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { Dialog } from '../../components/Dialog';

/** Asks before removing the picked containers, naming each; the running ones are killed first. */
export function RemoveContainersDialog({
  containers,
  onConfirm,
  onClose,
}: {
  containers: readonly ContainerSummary[];
  onConfirm: () => void;
  onClose: () => void;
}) {
  const running = containers.filter((c) => c.state === 'running' || c.state === 'paused').length;
  const noun = containers.length === 1 ? 'container' : 'containers';
  return (
    <Dialog
      title={`Remove ${containers.length} ${noun}?`}
      testId="remove-containers-dialog"
      onClose={onClose}
      onSubmit={() => {
        onConfirm();
        onClose();
      }}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" data-testid="remove-containers-confirm">
            Remove {containers.length} {noun}
          </button>
        </>
      }
    >
      <ul className="remove-containers__names">
        {containers.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong> <span className="remove-containers__state">{c.state}</span>
          </li>
        ))}
      </ul>
      <p>
        {running > 0
          ? `${running} of them ${running === 1 ? 'is' : 'are'} running and will be killed first. Their logs and files go with them; the images stay.`
          : 'Their logs and files go with them; the images stay.'}
      </p>
    </Dialog>
  );
}
