import { useRuntimeStatus } from '../queries/runtimeQueries';
import { useUiStore } from '../state/uiStore';

/** The top bar's word on what runs containers: the machine's state and accelerator, or "native". */
export function MachineIndicator() {
  const status = useRuntimeStatus();
  const setView = useUiStore((s) => s.setView);
  if (!status.data) return null;
  const { kind, machine, reason } = status.data;
  const state = kind === 'native' ? 'native' : (machine?.state ?? 'missing');
  const text =
    kind === 'native'
      ? 'Containers: native'
      : machine
        ? `Machine: ${machine.state}${machine.state !== 'stopped' && machine.accelerator ? ` (${machine.accelerator})` : ''}`
        : 'Machine: not created';
  return (
    <button
      type="button"
      className="machine-status"
      data-state={state}
      data-testid="machine-indicator"
      title={reason}
      onClick={() => setView('settings')}
    >
      <span className="machine-status__dot" aria-hidden="true" />
      <span>{text}</span>
    </button>
  );
}
