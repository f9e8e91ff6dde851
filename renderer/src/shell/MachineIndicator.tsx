import { useRuntimeStatus } from '../queries/runtimeQueries';
import { useUiStore } from '../state/uiStore';
import { runtimeIndicator } from './runtimeWords';

/** The top bar's word on what runs containers: the machine's state and accelerator, "native" or "rootless". */
export function MachineIndicator() {
  const status = useRuntimeStatus();
  const setView = useUiStore((s) => s.setView);
  if (!status.data) return null;
  const { state, text } = runtimeIndicator(status.data);
  return (
    <button
      type="button"
      className="machine-status"
      data-state={state}
      data-testid="machine-indicator"
      title={status.data.reason}
      onClick={() => setView('settings')}
    >
      <span className="machine-status__dot" aria-hidden="true" />
      <span>{text}</span>
    </button>
  );
}
