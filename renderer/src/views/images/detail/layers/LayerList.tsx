import type { LayerDiff } from '../../../../../../core/api/layers.schema';
import { formatBytes } from '../../../../../../core/text/humanize';
import { ChangeCounts } from '../../../../components/fileTree/ChangeMark';
import { historyCommand, layerFormat } from '../imageText';

/**
 * The layers in order, each with the step that made it, what it holds, and how many paths it
 * adds, modifies and removes. A layer is a button: choosing it shows its files below.
 */
export function LayerList({
  layers,
  selected,
  onSelect,
}: {
  layers: LayerDiff[];
  selected: number;
  onSelect: (index: number) => void;
}) {
  return (
    <section className="layer-list" aria-label="Layers">
      <div className="layer-list__head" aria-hidden="true">
        <span className="is-numeric">#</span>
        <span className="is-numeric">Size</span>
        <span>Created by</span>
        <span className="is-numeric">Changes</span>
      </div>
      <ol className="layer-list__body">
        {layers.map((layer) => (
          <li key={layer.index}>
            <button
              type="button"
              className="layer-list__item"
              aria-pressed={layer.index === selected}
              data-testid="layer-item"
              data-digest={layer.digest}
              onClick={() => onSelect(layer.index)}
            >
              <span className="is-numeric muted">{layer.index + 1}</span>
              <span
                className="is-numeric"
                title={`${formatBytes(layer.contentSize)} of files; ${formatBytes(layer.size)} as stored (${layerFormat(layer.mediaType)})`}
              >
                {formatBytes(layer.contentSize)}
              </span>
              <code className="layer-list__command" title={layer.createdBy || undefined}>
                {historyCommand(layer.createdBy) || <span className="none">(no history recorded)</span>}
              </code>
              <ChangeCounts added={layer.added} modified={layer.modified} removed={layer.removed} />
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
