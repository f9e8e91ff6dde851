import { shortId } from '../../../../../core/text/humanize';
import { CopyButton } from '../../../components/CopyButton';
import { useImageList } from '../../../queries/imageQueries';
import { useUiStore } from '../../../state/uiStore';
import { resultImageKey } from './resultImageKey';

/** The image a build made: its ID, linked to its detail in Images while the store has it. */
export function ResultImage({ imageId, tags }: { imageId: string; tags: readonly string[] }) {
  const images = useImageList();
  const openImage = useUiStore((s) => s.openImage);
  const key = images.data ? resultImageKey(images.data, imageId, tags) : null;
  const id = shortId(imageId);
  return (
    <p className="build-result" data-testid="build-result">
      <span className="build-result__label">Image</span>
      {key ? (
        <button
          type="button"
          className="link-button build-result__id"
          title={`Open ${imageId} in Images`}
          aria-label={`Open image ${id} in Images`}
          data-testid="build-image-link"
          data-image-id={imageId}
          onClick={() => openImage(key, 'overview')}
        >
          {id}
        </button>
      ) : (
        <code className="build-result__id" title={imageId} data-testid="build-image-id">
          {id}
        </code>
      )}
      <CopyButton text={imageId} label="Copy the image ID" />
      {tags.length > 0 && <span className="build-result__tags">{tags.join(', ')}</span>}
      {images.data && !key && <span className="muted">no longer in the store</span>}
    </p>
  );
}
