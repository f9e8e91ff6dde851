import { formatBytes, relativeTime, shortId } from '../../../../../core/api/humanize';
import { CloseIcon } from '../../../components/icons';
import { useImageDetail } from '../../../queries/imageQueries';
import type { ImageRow } from '../imageRows';
import { ConfigSection } from './ConfigSection';
import { HistorySection } from './HistorySection';
import { platformLabel } from './imageText';
import { LayersTable } from './LayersTable';
import { OverviewSection } from './OverviewSection';
import { RawDocuments } from './RawDocuments';

/** The selected image, inspected: the summary from the list shows at once, the rest when it arrives. */
export function ImageDetailPanel({ row, onClose }: { row: ImageRow; onClose: () => void }) {
  const { image } = row;
  const detail = useImageDetail(row.key);
  const title = image.reference === null ? 'Untagged image' : `${image.repository}:${image.tag}`;
  return (
    <aside
      className="detail"
      aria-label={`Details of ${title}`}
      data-testid="image-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="detail__header">
        <div className="detail__title">
          <h2 data-testid="detail-title">{title}</h2>
          <p className="detail__subtitle">
            <code>{shortId(image.id)}</code>
            <span>{platformLabel(image.platform)}</span>
            <span>{formatBytes(image.size)}</span>
            <span>{relativeTime(image.created)}</span>
          </p>
        </div>
        <button type="button" className="icon-button" aria-label="Close details" title="Close details" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="detail__body">
        {detail.data ? (
          <>
            <OverviewSection detail={detail.data} />
            <LayersTable detail={detail.data} />
            <ConfigSection detail={detail.data} />
            <HistorySection detail={detail.data} />
            <RawDocuments detail={detail.data} />
          </>
        ) : detail.isError ? (
          <p className="placeholder">This image could not be inspected.</p>
        ) : (
          <p className="placeholder">Loading…</p>
        )}
      </div>
    </aside>
  );
}
