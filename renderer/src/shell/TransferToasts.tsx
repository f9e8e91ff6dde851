import { AlertIcon, CloseIcon } from '../components/icons';
import { sentence } from '../components/useSubmit';
import { useTransferStore } from '../state/transferStore';
import { useUiStore } from '../state/uiStore';

const verb = { pull: 'Pull', push: 'Push', load: 'Load', save: 'Save' } as const;

/**
 * A pull or push that failed once its dialog had closed, told where the person is: its one-line
 * error and a way to the transfer. The Transfers view shows them itself, so visiting it clears these.
 */
export function TransferToasts() {
  const toasts = useTransferStore((s) => s.toasts);
  const transfers = useTransferStore((s) => s.transfers);
  const dismiss = useTransferStore((s) => s.dismissToast);
  const setView = useUiStore((s) => s.setView);
  const shown = toasts.flatMap((id) => transfers.filter((t) => t.transferId === id));
  if (shown.length === 0) return null;
  return (
    <div className="toasts">
      {shown.map((entry) => (
        <div key={entry.transferId} className="toast" role="alert" data-testid="transfer-toast">
          <span className="toast__icon">
            <AlertIcon />
          </span>
          <div className="toast__body">
            <p className="toast__title">
              {verb[entry.operation]} of <code>{entry.subject}</code> failed
            </p>
            {entry.error && <p className="toast__message">{sentence(entry.error)}</p>}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setView('transfers');
                requestAnimationFrame(() =>
                  document.querySelector(`[data-transfer-id="${entry.transferId}"]`)?.scrollIntoView({ block: 'nearest' }),
                );
              }}
            >
              Show the transfer
            </button>
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            title="Dismiss"
            onClick={() => dismiss(entry.transferId)}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
