import { useEffect, useMemo, useState } from 'react';
import type { ImageDetail } from '../../../../../../core/api/images.schema';
import { withArriving } from '../../../../components/graph/arrivingGraph';
import { warmUpLayout } from '../../../../components/graph/elkLayout';
import { imageGraph } from '../../../../components/graph/graphModel';
import { LazyDagGraph } from '../../../../components/graph/LazyDagGraph';
import { useStoreDag } from '../../../../queries/dagQueries';
import { useArrivals } from '../../../../state/useLiveBlob';
import { DagNodePanel } from './DagNodePanel';

/**
 * The image's Merkle DAG: (index ->) manifest -> config + layers, top-down. Blobs other images hold
 * too are marked and name those images; a click on a blob opens it beside the graph. While a pull
 * or push moves its blobs, each node says how far (the cards read the transfer store themselves);
 * while a pull brings a new version under one of its names, that version is drawn as it arrives.
 */
export function DagTab({ imageRef, detail }: { imageRef: string; detail: ImageDetail }) {
  const dag = useStoreDag();
  useEffect(() => warmUpLayout(), []);
  const arrivals = useArrivals();
  const arrival = arrivals.find((a) => detail.references.includes(a.subject) && a.arriving.top !== detail.digest);
  const model = useMemo(() => {
    if (!dag.data) return null;
    if (arrival) return withArriving({ cards: [], links: [] }, [arrival], dag.data, 'DOWN');
    return imageGraph(dag.data, detail.digest);
  }, [dag.data, detail.digest, arrival]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = model?.cards.find((c) => c.id === selectedId);

  if (!model) {
    return <p className="placeholder">{dag.isError ? 'The DAG could not be read.' : 'Reading the DAG…'}</p>;
  }
  if (model.cards.length === 0) return <p className="placeholder">This image is no longer in the store.</p>;
  const shared = model.cards.filter((c) => c.type === 'blob' && c.data.sharedWith.length > 0).length;
  return (
    <div className={`dag-tab${selected ? ' has-panel' : ''}`} data-testid="dag-tab">
      <div className="dag-tab__main">
        {arrival ? (
          <p className="dag-tab__summary" data-testid="dag-arriving">
            Pulling a new version of {arrival.subject}: drawn top-down as it arrives, {model.cards.length}{' '}
            {model.cards.length === 1 ? 'blob' : 'blobs'} so far.
          </p>
        ) : (
          <p className="dag-tab__summary" data-testid="dag-summary">
            {model.cards.length} {model.cards.length === 1 ? 'blob' : 'blobs'}
            {shared > 0 && `, ${shared} shared with other images`}. Select a blob to see its JSON or its files.
          </p>
        )}
        <LazyDagGraph
          model={model}
          direction="DOWN"
          selectedId={selectedId}
          onSelect={setSelectedId}
          label={`Merkle DAG of ${detail.references[0] ?? detail.id}`}
          testId="image-dag"
        />
      </div>
      {selected?.type === 'blob' && (
        <DagNodePanel
          key={selected.id}
          card={selected.data}
          detail={detail}
          imageRef={imageRef}
          onClose={() => setSelectedId(null)}
        />
      )}
    </div>
  );
}
