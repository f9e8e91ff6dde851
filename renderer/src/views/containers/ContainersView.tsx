import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { ContainerSummary } from '../../../../core/api/containers.schema';
import { Checkbox } from '../../components/form/Checkbox';
import { LoadedList } from '../../components/LoadedList';
import { SearchBox } from '../../components/SearchBox';
import { ViewHeader } from '../../components/ViewHeader';
import { useContainerBulkAction } from '../../queries/containerBulkActions';
import { useContainerList } from '../../queries/containerQueries';
import { useContainerStatsPolling } from '../../queries/containerStatsPolling';
import { useUiStore } from '../../state/uiStore';
import { RunButton } from '../run/RunButton';
import { ContainersEmptyState } from './ContainersEmptyState';
import { ContainerTable } from './ContainerTable';
import { ContainerDetail } from './detail/ContainerDetail';
import { RemoveContainersDialog } from './RemoveContainersDialog';

/** Name, image or the start of the ID, as docker ps --filter would be asked by hand. */
function matches(container: ContainerSummary, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return (
    container.name.toLowerCase().includes(needle) ||
    container.image.toLowerCase().includes(needle) ||
    container.id.startsWith(needle)
  );
}

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
  const all = list.data ?? [];
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const containers = useMemo(() => all.filter((c) => matches(c, deferredSearch)), [all, deferredSearch]);
  const running = all.filter((c) => c.state === 'running').length;
  const shown = containers.length === all.length ? '' : ` · ${containers.length} shown`;
  const summary = !list.data ? '' : (showStopped ? `${running} running · ${all.length} in all` : `${running} running`) + shown;

  // CPU and memory of every running container, measured while the list is open.
  const runningIds = useMemo(() => all.filter((c) => c.state === 'running').map((c) => c.id), [all]);
  useContainerStatsPolling(runningIds, true);

  // Rows picked with their boxes, by id; a picked container that went (or is hidden) is not acted on.
  const [checkedIds, setCheckedIds] = useState<ReadonlySet<string>>(new Set());
  const onCheck = useCallback((id: string, checked: boolean) => {
    setCheckedIds((ids) => {
      const next = new Set(ids);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const checked = containers.filter((c) => checkedIds.has(c.id));
  const checkedRunning = checked.filter((c) => c.state === 'running' || c.state === 'paused');
  const bulk = useContainerBulkAction();
  const [removing, setRemoving] = useState<readonly ContainerSummary[] | null>(null);
  const noun = (n: number) => `${n} ${n === 1 ? 'container' : 'containers'}`;

  return (
    <div className="view containers-view">
      <ViewHeader title="Containers" summary={summary} summaryTestId="containers-summary">
        {checkedRunning.length > 0 && (
          <button
            type="button"
            className="button containers-view__bulk"
            data-testid="containers-stop-checked"
            disabled={bulk.isPending}
            onClick={() =>
              bulk.mutate({ action: 'stop', ids: checkedRunning.map((c) => c.id) }, { onSettled: () => setCheckedIds(new Set()) })
            }
          >
            {bulk.isPending && bulk.variables?.action === 'stop' ? 'Stopping…' : `Stop ${noun(checkedRunning.length)}`}
          </button>
        )}
        {checked.length > 0 && (
          <button
            type="button"
            className="button button--danger containers-view__bulk"
            data-testid="containers-remove-checked"
            disabled={bulk.isPending}
            onClick={() => setRemoving(checked)}
          >
            Remove {noun(checked.length)}
          </button>
        )}
        {all.length > 0 && (
          <SearchBox
            value={search}
            onChange={setSearch}
            label="Search containers"
            placeholder="Search by name, image or ID"
            clearLabel="Clear search"
            testId="containers-search"
            compact
          />
        )}
        <Checkbox label="Show stopped containers" checked={showStopped} onChange={setShowStopped} testId="show-stopped" quiet />
        <RunButton image="" variant="header" testId="containers-run-button" />
      </ViewHeader>
      <LoadedList query={list} noun="containers" errorTestId="containers-error">
        {all.length === 0 ? (
          <ContainersEmptyState showingStopped={showStopped} />
        ) : containers.length === 0 ? (
          <p className="placeholder" data-testid="containers-no-match">
            No container matches “{search}”.
          </p>
        ) : (
          <ContainerTable containers={containers} onOpen={onOpen} checkedIds={checkedIds} onCheck={onCheck} />
        )}
      </LoadedList>
      {removing && (
        <RemoveContainersDialog
          containers={removing}
          onClose={() => setRemoving(null)}
          onConfirm={() =>
            bulk.mutate({ action: 'remove', ids: removing.map((c) => c.id) }, { onSettled: () => setCheckedIds(new Set()) })
          }
        />
      )}
    </div>
  );
}
