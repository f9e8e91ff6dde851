/**
 * The buttons of a dialog that removes things once (clean up, prune): Cancel and the confirm
 * button while it asks, a single Close (the dialog's submit) once it has said what went.
 */
export function PruneActions({
  done,
  onCancel,
  confirmLabel,
  pendingLabel,
  pending,
  disabled,
  testIds,
}: {
  done: boolean;
  onCancel: () => void;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  disabled: boolean;
  testIds: { confirm: string; close: string };
}) {
  if (done) {
    return (
      <button type="submit" className="button button--primary" data-testid={testIds.close}>
        Close
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button--danger" data-testid={testIds.confirm} disabled={disabled || pending}>
        {pending ? pendingLabel : confirmLabel}
      </button>
    </>
  );
}
