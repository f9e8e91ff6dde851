import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { formatCount } from '../../../../core/text/humanize';
import { withArriving } from '../../components/graph/arrivingGraph';
import { warmUpLayout } from '../../components/graph/elkLayout';
import { condensedStoreGraph, fullStoreGraph } from '../../components/graph/graphModel';
import { LazyDagGraph } from '../../components/graph/LazyDagGraph';
import { useStoreDag } from '../../queries/dagQueries';
import { useImageList } from '../../queries/imageQueries';
import { useArrivals } from '../../state/useLiveBlob';
import { groupImagesByBase } from './imageGroups';
import { RepositoryFilter } from './RepositoryFilter';
import { StoreNodePanel } from './StoreNodePanel';
import { filterByRepository, storeImages } from './storeImages';

type Detail = 'shared' | 'every';

const details: { id: Detail; label: string; title: string }[] = [
  { id: 'shared', label: 'Shared blobs', title: 'Each image as one card; blobs two or more images hold drawn on their own' },
  { id: 'every', label: 'Every blob', title: 'Every manifest, config and layer as its own node' },
];

/**
 * Every image in the store at once, as one DAG: a base layer many images stand on is one node
 * with an edge from each, so dedupe is something to see. Filtered by repository.
 */
export function StoreGraphView() {
  const dag = useStoreDag();
  const list = useImageList();
  useEffect(() => warmUpLayout(), []);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [detail, setDetail] = useState<Detail>('shared');
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const all = useMemo(() => storeImages(list.data ?? []), [list.data]);
  const images = useMemo(() => filterByRepository(all, deferredFilter), [all, deferredFilter]);
  const repositories = useMemo(() => [...new Set(all.flatMap((i) => i.repositories))].sort(), [all]);
  // Images a pull is bringing in that the store does not name yet: drawn from the pull's events.
  const arrivals = useArrivals();
  const arriving = useMemo(() => {
    const stored = new Set(dag.data?.roots ?? []);
    const needle = deferredFilter.trim().toLowerCase();
    return arrivals.filter(
      (a) => a.arriving.top !== undefined && !stored.has(a.arriving.top) && a.subject.toLowerCase().includes(needle),
    );
  }, [arrivals, dag.data, deferredFilter]);
  const model = useMemo(() => {
    if (!dag.data) return null;
    const stored =
      detail === 'shared' ? groupImagesByBase(condensedStoreGraph(dag.data, images)) : fullStoreGraph(dag.data, images);
    return withArriving(stored, arriving, dag.data, 'RIGHT');
  }, [dag.data, images, detail, arriving]);
  const selected = model?.cards.find((c) => c.id === selectedId);
  // The blob the most images hold: where the graph opens when it is too big to show whole.
  const focusId = useMemo(() => {
    let best: { id: string; users: number } | undefined;
    for (const c of model?.cards ?? []) {
      if (c.type === 'blob' && c.data.blob.usedBy.length > (best?.users ?? 1))
        best = { id: c.id, users: c.data.blob.usedBy.length };
    }
    return best?.id;
  }, [model]);
  const sharedCount = model?.cards.filter((c) => c.type === 'blob' && c.data.blob.usedBy.length > 1).length ?? 0;

  const summary = !model
    ? ''
    : `${images.length === all.length ? formatCount(all.length) : `${formatCount(images.length)} of ${formatCount(all.length)}`} ${
        all.length === 1 ? 'image' : 'images'
      } · ${formatCount(sharedCount)} shared ${sharedCount === 1 ? 'blob' : 'blobs'}${
        arriving.length > 0 ? ` · ${arriving.length} arriving` : ''
      }`;

  return (
    <div className="view graph-view">
      <div className="view-header">
        <div className="view-header__title">
          <h1>Store graph</h1>
          <span className="view-header__summary" data-testid="store-graph-summary" aria-live="polite">
            {summary}
          </span>
        </div>
        <div className="view-header__tools">
          <fieldset className="toggle-group">
            <legend className="visually-hidden">Draw</legend>
            {details.map((d) => (
              <button
                key={d.id}
                type="button"
                className="toggle-group__item"
                aria-pressed={detail === d.id}
                title={d.title}
                data-testid={`graph-detail-${d.id}`}
                onClick={() => setDetail(d.id)}
              >
                {d.label}
              </button>
            ))}
          </fieldset>
          <RepositoryFilter value={filter} onChange={setFilter} repositories={repositories} />
        </div>
      </div>
      <div className="graph-view__body">
        {!model || !list.data ? (
          <p className="placeholder">{dag.isError || list.isError ? 'The store could not be read.' : 'Reading the store…'}</p>
        ) : all.length === 0 && arriving.length === 0 ? (
          <p className="placeholder" data-testid="store-graph-empty">
            The store holds no images yet.
          </p>
        ) : images.length === 0 && arriving.length === 0 ? (
          <p className="placeholder" data-testid="store-graph-no-match">
            No repository matches “{deferredFilter.trim()}”.
          </p>
        ) : (
          <>
            <LazyDagGraph
              model={model}
              direction="RIGHT"
              selectedId={selectedId}
              onSelect={setSelectedId}
              label="Every image in the store"
              testId="store-graph"
              large
              focusId={focusId}
            />
            {selected && <StoreNodePanel card={selected} images={all} onClose={() => setSelectedId(null)} />}
          </>
        )}
      </div>
    </div>
  );
}
