import { useState } from 'react';
import { useImageDiff, usePrefetchLayerTree } from '../../../../queries/layerQueries';
import { EfficiencySummary } from './EfficiencySummary';
import { LayerFiles } from './LayerFiles';
import { LayerList } from './LayerList';

/**
 * The layer explorer, dive's way: the image's efficiency, its layers with what each changed, and
 * the selected layer's files. The engine computes every figure (images.diff, images.layerTree).
 * `layerCount`: the image's layers, where its detail knows them already. The first layer's files
 * then show as soon as they come, without waiting for the efficiency, which the engine computes
 * over every layer (on a big image it comes last).
 */
export function LayersTab({ imageRef, layerCount }: { imageRef: string; layerCount?: number | undefined }) {
  const diff = useImageDiff(imageRef);
  const [selected, setSelected] = useState(0);
  // The files of the layer shown first (LayerFiles' own first scope), asked for with the diff.
  usePrefetchLayerTree(imageRef, 0, 'layer');
  const layers = diff.data?.layers;
  const count = layers?.length ?? layerCount;
  if (diff.isError) return <p className="placeholder">The layers of this image could not be read.</p>;
  if (count === undefined) {
    return (
      <p className="placeholder" data-testid="layers-loading">
        Reading the layers…
      </p>
    );
  }
  if (count === 0) return <p className="placeholder">This image has no layers.</p>;
  const layer = layers ? (layers[Math.min(selected, layers.length - 1)] ?? layers[0]!).index : 0;
  // One tree whether the diff is there or not, so that the files keep their state when it comes.
  return (
    <div className="layers-tab" data-testid="layers-tab">
      {diff.data ? (
        <EfficiencySummary efficiency={diff.data.efficiency} />
      ) : (
        <p className="efficiency efficiency--loading" data-testid="layers-loading">
          Reading the layers…
        </p>
      )}
      {layers ? <LayerList layers={layers} selected={layer} onSelect={setSelected} /> : <div className="layer-list" />}
      <LayerFiles imageRef={imageRef} layer={layer} layerCount={count} />
    </div>
  );
}
