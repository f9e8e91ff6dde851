import { formatBytes, formatCount } from '../../../../core/text/humanize';
import { Digest } from '../../components/Digest';
import type { GraphCard } from '../../components/graph/graphModel';
import { CloseIcon } from '../../components/icons';
import { useUiStore } from '../../state/uiStore';
import { Field } from '../images/detail/Section';
import type { NamedStoreImage } from './storeImages';

const kindTitles = { index: 'Index', manifest: 'Manifest', config: 'Config', layer: 'Layer' } as const;

/** An image name that opens the image's DAG in the Images view. */
function ImageLink({ name, images }: { name: string; images: readonly NamedStoreImage[] }) {
  const openImage = useUiStore((s) => s.openImage);
  const image = images.find((i) => i.names.includes(name));
  if (!image) return <code>{name}</code>;
  return (
    <button type="button" className="link-button" title="Open this image’s DAG" onClick={() => openImage(image.key, 'dag')}>
      {name}
    </button>
  );
}

/** The names of a card's images, each opening its DAG. */
function NameList({ names, images }: { names: readonly string[]; images: readonly NamedStoreImage[] }) {
  return (
    <ul className="plain-list" data-testid="store-node-names">
      {names.map((name) => (
        <li key={name}>
          <ImageLink name={name} images={images} />
        </li>
      ))}
    </ul>
  );
}

/**
 * The selected card of the store graph: an image and what only it holds, a group of images on the
 * same base (all named, and a way to see them in Images), or a blob and who holds it.
 */
export function StoreNodePanel({
  card,
  images,
  onClose,
}: {
  card: GraphCard;
  images: readonly NamedStoreImage[];
  onClose: () => void;
}) {
  const setImageFilter = useUiStore((s) => s.setImageFilter);
  const group = card.type === 'image' ? card.data.group : undefined;
  const title = group ? `${formatCount(group.count)} images` : card.type === 'image' ? 'Image' : kindTitles[card.data.blob.kind];
  const digest = card.type === 'image' ? card.data.root.digest : card.data.blob.digest;
  const names = card.type === 'image' ? card.data.names : card.data.blob.usedBy;
  if (group && card.type === 'image') {
    return (
      <aside className="node-panel node-panel--floating" aria-label={title} data-testid="store-node-panel">
        <header className="node-panel__header">
          <span className="kind-chip is-image">{title}</span>
          <button type="button" className="icon-button" aria-label="Close the selection" title="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        <p>These images stand on the same shared blobs; each holds the rest of its blobs alone.</p>
        <button
          type="button"
          className="button"
          data-testid="store-group-show"
          onClick={() => setImageFilter({ label: `${title} on the same base`, names })}
        >
          Show in Images
        </button>
        <dl className="fields node-panel__fields">
          <Field label="Own blobs">
            {card.data.privateBlobs} ({formatBytes(card.data.privateBytes)}), each held by one image
          </Field>
          <Field label="Names">
            <NameList names={names} images={images} />
          </Field>
        </dl>
      </aside>
    );
  }
  return (
    <aside className="node-panel node-panel--floating" aria-label={`${title} ${digest}`} data-testid="store-node-panel">
      <header className="node-panel__header">
        <span className={`kind-chip is-${card.type === 'image' ? 'image' : card.data.blob.kind}`}>{title}</span>
        {card.type === 'blob' && <span className="node-panel__size">{formatBytes(card.data.blob.size)}</span>}
        <button type="button" className="icon-button" aria-label="Close the selection" title="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <dl className="fields node-panel__fields">
        <Field label="Digest">
          <Digest value={digest} label={`${title.toLowerCase()} digest`} full />
        </Field>
        {card.type === 'image' ? (
          <Field label="Own blobs">
            {card.data.privateBlobs} ({formatBytes(card.data.privateBytes)}), held by no other image
          </Field>
        ) : (
          <Field label="Media type">
            <code className="wrap">{card.data.blob.mediaType}</code>
          </Field>
        )}
        <Field label={card.type === 'image' ? 'Names' : `Used by ${names.length}`}>
          <NameList names={names} images={images} />
        </Field>
      </dl>
    </aside>
  );
}
