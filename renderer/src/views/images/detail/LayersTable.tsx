import type { ImageDetail } from '../../../../../core/api/images.schema';
import { formatBytes, shortId } from '../../../../../core/text/humanize';
import { Digest } from '../../../components/Digest';
import { useUiStore } from '../../../state/uiStore';
import { historyCommand, layerFormat } from './imageText';
import { Section } from './Section';

/**
 * The step that made each layer: history entries without empty_layer pair with layers in order
 * (image-spec config.md). When the counts disagree the history is unreliable, so none is shown.
 */
function layerSteps(detail: ImageDetail): (string | undefined)[] {
  const steps = detail.history.filter((h) => !h.emptyLayer).map((h) => h.createdBy);
  return steps.length === detail.layers.length ? steps : [];
}

export function LayersTable({ detail }: { detail: ImageDetail }) {
  const steps = layerSteps(detail);
  const setImageFilter = useUiStore((s) => s.setImageFilter);
  return (
    <Section title="Layers" aside={<span className="count">{detail.layers.length}</span>}>
      <div className="table-scroll">
        <table className="data-table layers-table" data-testid="layers-table">
          <thead>
            <tr>
              <th scope="col" className="is-numeric">
                #
              </th>
              <th scope="col">Digest</th>
              <th scope="col">Media type</th>
              <th scope="col" className="is-numeric">
                Size
              </th>
              <th scope="col">Diff ID</th>
            </tr>
          </thead>
          <tbody>
            {detail.layers.map((layer, i) => {
              const step = steps[i];
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: an image may hold the same layer twice
                <tr key={`${i}:${layer.digest}`} data-testid="layer-row" data-digest={layer.digest}>
                  <td className="is-numeric muted">{i + 1}</td>
                  <td>
                    <Digest value={layer.digest} label={`digest of layer ${i + 1}`} />
                    {step && (
                      <span className="layer-step" title={step}>
                        {historyCommand(step)}
                      </span>
                    )}
                    {layer.sharedWith.length > 0 && (
                      <button
                        type="button"
                        className="link-button layer-shared"
                        title={`Show these in Images:\n${layer.sharedWith.join('\n')}`}
                        data-testid="layer-shared"
                        onClick={() =>
                          setImageFilter({ label: `Sharing layer ${shortId(layer.digest)}`, names: layer.sharedWith })
                        }
                      >
                        Shared with {layer.sharedWith.length} {layer.sharedWith.length === 1 ? 'image' : 'images'}
                      </button>
                    )}
                  </td>
                  <td title={layer.mediaType}>{layerFormat(layer.mediaType)}</td>
                  <td className="is-numeric">{formatBytes(layer.size)}</td>
                  <td>
                    {layer.diffId ? (
                      <code title={layer.diffId}>{shortId(layer.diffId)}</code>
                    ) : (
                      <span className="none" title="the config lists no diff ID for this layer">
                        —
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
