import { Checkbox } from '../../components/form/Checkbox';
import { LoadedList } from '../../components/LoadedList';
import { ViewHeader } from '../../components/ViewHeader';
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
      <ViewHeader title="Containers" summary={summary} summaryTestId="containers-summary">
        <Checkbox label="Show stopped containers" checked={showStopped} onChange={setShowStopped} testId="show-stopped" quiet />
        <RunButton image="" variant="header" testId="containers-run-button" />
      </ViewHeader>
      <LoadedList query={list} noun="containers" errorTestId="containers-error">
        {containers.length === 0 ? (
          <ContainersEmptyState showingStopped={showStopped} />
        ) : (
          <ContainerTable containers={containers} onOpen={onOpen} />
        )}
      </LoadedList>
    </div>
  );
}
