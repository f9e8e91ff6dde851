import type { ImageDetail } from '../../../../../../core/api/images.schema';
import { formatBytes } from '../../../../../../core/text/humanize';
import { Digest } from '../../../../components/Digest';
import type { BlobCardData } from '../../../../components/graph/graphModel';
import { CloseIcon } from '../../../../components/icons';
import { LayerFiles } from '../layers/LayerFiles';
import { Field } from '../Section';
import { JsonDocument } from './JsonDocument';

const kindTitles = { index: 'Index', manifest: 'Manifest', config: 'Config', layer: 'Layer' } as const;

/** What a blob holds: a manifest's or config's JSON, a layer's files; and who uses it. */
function BlobContent({ card, detail, imageRef }: { card: BlobCardData; detail: ImageDetail; imageRef: string }) {
  const { blob } = card;
  if (blob.digest === detail.manifestDigest) return <JsonDocument title="Manifest" json={detail.manifestJson} />;
  if (blob.digest === detail.id) return <JsonDocument title="Config" json={detail.configJson} />;
  if (blob.kind === 'layer') {
    const index = detail.layers.findIndex((l) => l.digest === blob.digest);
    if (index >= 0) return <LayerFiles imageRef={imageRef} layer={index} layerCount={detail.layers.length} />;
  }
  if (!blob.present) return <p className="none">This blob is not in the store (its platform was never fetched).</p>;
  return (
    <p className="none" data-testid="dag-node-no-json">
      Only this image’s own manifest and config can be shown as JSON; other documents are drawn from the DAG alone.
    </p>
  );
}

export function DagNodePanel({
  card,
  detail,
  imageRef,
  onClose,
}: {
  card: BlobCardData;
  detail: ImageDetail;
  imageRef: string;
  onClose: () => void;
}) {
  const { blob, label } = card;
  const title = label ?? kindTitles[blob.kind];
  return (
    <aside className="node-panel" aria-label={`${title} ${blob.digest}`} data-testid="dag-node-panel" data-kind={blob.kind}>
      <header className="node-panel__header">
        <span className={`kind-chip is-${blob.kind}`}>{title}</span>
        <span className="node-panel__size">{formatBytes(blob.size)}</span>
        <button type="button" className="icon-button" aria-label="Close the blob" title="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <dl className="fields node-panel__fields">
        <Field label="Digest">
          <Digest value={blob.digest} label={`${title.toLowerCase()} digest`} full testId="dag-node-digest" />
        </Field>
        <Field label="Media type">
          <code className="wrap">{blob.mediaType}</code>
        </Field>
        {blob.platform && <Field label="Platform">{blob.platform}</Field>}
        <Field label="Used by">
          <ul className="plain-list" data-testid="dag-node-used-by">
            {blob.usedBy.map((name) => (
              <li key={name}>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        </Field>
      </dl>
      <div className="node-panel__content">
        <BlobContent card={card} detail={detail} imageRef={imageRef} />
      </div>
    </aside>
  );
}
