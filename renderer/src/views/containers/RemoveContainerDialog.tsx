import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { Dialog } from '../../components/Dialog';

/** Asks before removing; a running container is killed first (remove with force), and it says so. */
export function RemoveContainerDialog({
  container,
  onConfirm,
  onClose,
}: {
  container: ContainerSummary;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const running = container.state === 'running' || container.state === 'paused';
  return (
    <Dialog
      title={`Remove ${container.name}?`}
      testId="remove-container-dialog"
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
          <button type="submit" className="button button--danger" data-testid="remove-container-confirm">
            {running ? 'Kill and remove' : 'Remove'}
          </button>
        </>
      }
    >
      <p>
        {running
          ? 'It is running: it will be killed, then removed with its log and its files. The image stays.'
          : 'This removes the container, its log and its files. The image stays.'}
      </p>
    </Dialog>
  );
}
