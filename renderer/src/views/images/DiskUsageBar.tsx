import { formatBytes } from '../../../../core/text/humanize';
import { useDiskUsage, useImageList } from '../../queries/imageQueries';

/** What the store takes on disk, under the list: the total, then by kind. */
export function DiskUsageBar() {
  // Asked once the list is there: the rows come first (see useDiskUsage).
  const { data } = useDiskUsage(useImageList().isSuccess);
  if (!data) return null;
  const part = (label: string, bytes: number, testId: string) => (
    <span className="disk-usage__part" data-testid={testId} data-bytes={bytes}>
      {label} {formatBytes(bytes)}
    </span>
  );
  return (
    <footer className="disk-usage" data-testid="disk-usage" data-bytes={data.totalBytes}>
      <span className="disk-usage__total" title="Blobs, unpacked snapshots and containers; the build cache's layers are blobs">
        Store uses <strong>{formatBytes(data.totalBytes)}</strong>
      </span>
      {part('Blobs', data.blobs.bytes, 'disk-blobs')}
      {part('Snapshots', data.snapshots.bytes, 'disk-snapshots')}
      {part('Containers', data.containers.bytes, 'disk-containers')}
      {part('Build cache', data.buildCache.bytes, 'disk-build-cache')}
    </footer>
  );
}
