import { lazy, Suspense, useEffect } from 'react';
import type { ContainerSummary } from '../../../../../../core/api/containers.schema';
import { TerminalIcon } from '../../../../components/icons';
import { pendingLabel, useContainerAction, usePendingAction } from '../../../../queries/containerActions';

// xterm.js is loaded with the first terminal, not with the app.
const TerminalView = lazy(() => import('./TerminalView'));
const keptTerminals = () => import('./keptTerminals');

/** A shell in the container, while it runs; otherwise a way to start it. */
export function TerminalTab({ container }: { container: ContainerSummary }) {
  const action = useContainerAction(container.id);
  // Shared with the header's buttons: a start (or remove) clicked there holds this button too.
  const pending = usePendingAction(container.id);
  const running = container.state === 'running';
  // A container that stopped took its shell with it: its kept terminal goes too.
  useEffect(() => {
    if (!running) void keptTerminals().then((k) => k.forgetTerminalsOf(container.id));
  }, [running, container.id]);
  if (!running) {
    return (
      <div className="placeholder" data-testid="terminal-unavailable">
        <TerminalIcon width={28} height={28} />
        <p>A terminal opens in a running container; {container.name} is not running.</p>
        <button type="button" className="button" disabled={pending !== null} onClick={() => action.mutate({ action: 'start' })}>
          {pending === 'start' ? pendingLabel.start : `Start ${container.name}`}
        </button>
      </div>
    );
  }
  return (
    <Suspense fallback={<p className="placeholder">Loading the terminal…</p>}>
      <TerminalView
        key={`${container.id}:${container.startedAt}`}
        containerId={container.id}
        sessionKey={`${container.id}:${container.startedAt}`}
        name={container.name}
      />
    </Suspense>
  );
}
