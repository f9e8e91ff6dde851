import { Checkbox } from '../../components/form/Checkbox';
import { useContainerList } from '../../queries/containerQueries';
import { useUiStore } from '../../state/uiStore';
import { RunButton } from '../run/RunButton';
import { ContainersEmptyState } from './ContainersEmptyState';
import { ContainerTable } from './ContainerTable';
import { ContainerDetail } from './detail/ContainerDetail';

/** The containers, running and (unless hidden) stopped; one of them opens in full with its logs, inspect and terminal. */
export function ContainersView() {
  const selected = useUiStore((s) => s.selectedContainer);
  const openContainer = useUiStore((s) => s.openContainer);
  if (selected !== null) return <ContainerDetail key={selected} id={selected} onBack={() => openContainer(null)} />;
  return <ContainerListView onOpen={(id) => openContainer(id)} />;
}

function ContainerListView({ onOpen }: { onOpen: (id: string) => void }) {
  const showStopped = useUiStore((s) => s.showStoppedContainers);
  const setShowStopped = useUiStore((s) => s.setShowStoppedContainers);
  const list = useContainerList(showStopped);
  const containers = list.data ?? [];
  const running = containers.filter((c) => c.state === 'running').length;
  const summary = !list.data ? '' : showStopped ? `${running} running · ${containers.length} in all` : `${running} running`;

  return (
    <div className="view containers-view">
      <div className="view-header">
        <div className="view-header__title">
          <h1>Containers</h1>
          <span className="view-header__summary" data-testid="containers-summary" aria-live="polite">
            {summary}
          </span>
        </div>
        <div className="view-header__actions">
          <Checkbox label="Show stopped containers" checked={showStopped} onChange={setShowStopped} testId="show-stopped" quiet />
          <RunButton image="" variant="header" testId="containers-run-button" />
        </div>
      </div>
      {list.isPending ? (
        <div className="placeholder">Loading containers…</div>
      ) : list.isError && !list.data ? (
        <div className="placeholder" data-testid="containers-error">
          <p>The containers could not be listed.</p>
          <button type="button" className="button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      ) : containers.length === 0 ? (
        <ContainersEmptyState showingStopped={showStopped} />
      ) : (
        <ContainerTable containers={containers} onOpen={onOpen} />
      )}
    </div>
  );
}
