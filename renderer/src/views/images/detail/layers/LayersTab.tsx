import { useState } from 'react';
import { useImageDiff, usePrefetchLayerTree } from '../../../../queries/layerQueries';
import { EfficiencySummary } from './EfficiencySummary';
import { LayerFiles } from './LayerFiles';
import { LayerList } from './LayerList';

/**
 * The layer explorer, dive's way: the image's efficiency, its layers with what each changed, and
 * the selected layer's files. The engine computes every figure (images.diff, images.layerTree).
 */
export function LayersTab({ imageRef }: { imageRef: string }) {
  const diff = useImageDiff(imageRef);
  const [selected, setSelected] = useState(0);
  // The files of the layer shown first (LayerFiles' own first scope), asked for with the diff.
  usePrefetchLayerTree(imageRef, 0, 'layer');
  if (!diff.data) {
    return (
      <p className="placeholder" data-testid="layers-loading">
        {diff.isError ? 'The layers of this image could not be read.' : 'Reading the layers…'}
      </p>
    );
  }
  const { layers, efficiency } = diff.data;
  if (layers.length === 0) return <p className="placeholder">This image has no layers.</p>;
  const layer = layers[Math.min(selected, layers.length - 1)] ?? layers[0]!;
  return (
    <div className="layers-tab" data-testid="layers-tab">
      <EfficiencySummary efficiency={efficiency} />
      <LayerList layers={layers} selected={layer.index} onSelect={setSelected} />
      <LayerFiles imageRef={imageRef} layer={layer.index} layerCount={layers.length} />
    </div>
  );
}
