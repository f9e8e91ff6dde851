import { useDeferredValue, useMemo, useState } from 'react';
import { LoadedList } from '../../components/LoadedList';
import { SearchBox } from '../../components/SearchBox';
import { ViewHeader } from '../../components/ViewHeader';
import { useBuildList } from '../../queries/buildQueries';
import { BuildsEmptyState } from './BuildsEmptyState';
import { BuildTable } from './BuildTable';
import { buildMatches } from './buildSearch';
import { NewBuildButton } from './NewBuildButton';
import { PruneBuildCacheDialog } from './PruneBuildCacheDialog';

/** The builds started from the app, newest first, kept across restarts; one opens with its steps. */
export function BuildHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const list = useBuildList();
  const [search, setSearch] = useState('');
  const [pruning, setPruning] = useState(false);
  const needle = useDeferredValue(search);
  const builds = list.data?.builds;
  const shown = useMemo(() => (builds ?? []).filter((b) => buildMatches(b, needle)), [builds, needle]);
  const all = builds ?? [];
  const running = all.filter((b) => b.state === 'running').length;
  const summary = !builds
    ? ''
    : [running > 0 ? `${running} running` : null, `${all.length} ${all.length === 1 ? 'build' : 'builds'}`]
        .filter(Boolean)
        .join(' · ');

  return (
    <div className="view builds-view">
      <ViewHeader title="Builds" summary={summary} summaryTestId="builds-summary">
        {all.length > 0 && (
          <SearchBox
            value={search}
            onChange={setSearch}
            label="Search the builds"
            placeholder="Search by tag, folder or ID"
            clearLabel="Clear the build search"
            testId="builds-search"
          />
        )}
        <button
          type="button"
          className="button"
          title="Forget the cached steps and free the layers only they keep"
          data-testid="builds-prune-cache"
          onClick={() => setPruning(true)}
        >
          Prune cache
        </button>
        <NewBuildButton testId="new-build" />
      </ViewHeader>
      <LoadedList query={list} noun="builds" errorTestId="builds-error">
        {all.length === 0 ? (
          <BuildsEmptyState />
        ) : shown.length === 0 ? (
          <div className="placeholder" data-testid="builds-no-match">
            No build has “{needle.trim()}”.
          </div>
        ) : (
          <BuildTable builds={shown} onOpen={onOpen} />
        )}
      </LoadedList>
      {pruning && <PruneBuildCacheDialog onClose={() => setPruning(false)} />}
    </div>
  );
}
