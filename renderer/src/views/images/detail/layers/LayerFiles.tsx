import { useId, useState } from 'react';
import { ChangeLegend } from '../../../../components/fileTree/ChangeMark';
import { FileTree } from '../../../../components/fileTree/FileTree';
import { fileTreeOfTable } from '../../../../components/fileTree/fileTreeModel';
import { PathFilter } from '../../../../components/fileTree/PathFilter';
import { useLayerTree } from '../../../../queries/layerQueries';

type Scope = 'layer' | 'aggregate';

const scopes: { id: Scope; label: string }[] = [
  { id: 'layer', label: 'This layer’s changes' },
  { id: 'aggregate', label: 'Everything up to this layer' },
];

/**
 * One layer's files: its own changes, or the whole filesystem as it stands after it (each path
 * marked with what this layer did to it). The scope and the filter stay as the layer changes, so
 * stepping through the layers keeps looking at the same thing.
 */
export function LayerFiles({ imageRef, layer, layerCount }: { imageRef: string; layer: number; layerCount: number }) {
  const [scope, setScope] = useState<Scope>('layer');
  const [filter, setFilter] = useState('');
  const tree = useLayerTree(imageRef, layer, scope);
  const headingId = useId();
  const shown = tree.data;
  return (
    <section className="layer-files" aria-labelledby={headingId} data-testid="layer-files">
      <div className="layer-files__toolbar">
        <h3 id={headingId} className="layer-files__title">
          Layer {layer + 1} of {layerCount}
        </h3>
        <fieldset className="toggle-group">
          <legend className="visually-hidden">Show</legend>
          {scopes.map((s) => (
            <button
              key={s.id}
              type="button"
              className="toggle-group__item"
              aria-pressed={scope === s.id}
              data-testid={`scope-${s.id}`}
              onClick={() => setScope(s.id)}
            >
              {s.label}
            </button>
          ))}
        </fieldset>
        <PathFilter value={filter} onChange={setFilter} />
        <ChangeLegend />
      </div>
      {shown ? (
        <FileTree
          nodes={fileTreeOfTable(shown.files)}
          filter={filter}
          label={`Files of layer ${layer + 1}`}
          emptyText={scope === 'layer' ? 'This layer changes no files.' : 'The filesystem is empty at this layer.'}
          testId="layer-tree"
        />
      ) : (
        <p className="placeholder">{tree.isError ? 'The files of this layer could not be read.' : 'Reading the files…'}</p>
      )}
      {tree.isFetching && shown && (shown.layer !== layer || shown.scope !== scope) && (
        <span className="layer-files__busy" role="status">
          Loading layer {layer + 1}…
        </span>
      )}
    </section>
  );
}
