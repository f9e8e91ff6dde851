import { useState } from 'react';
import type { ContainerFile } from '../../../../../../core/api/containerFiles.schema';
import { formatBytes, formatCount } from '../../../../../../core/text/humanize';
import { modeString } from '../../../../components/fileTree/fileMode';
import { ChevronIcon, FileIcon, FolderIcon, LinkIcon } from '../../../../components/icons';
import { RelativeTime } from '../../../../components/RelativeTime';
import { useContainerDirectory } from '../../../../queries/containerFileQueries';

const modeType = { directory: 'dir', file: 'file', symlink: 'symlink', other: 'other' } as const;

/**
 * The entries of one directory of the container, each a row; a directory's own entries are read
 * only when it is opened (a container's tree can be large, and most of it is never looked at).
 */
export function DirectoryEntries({
  containerId,
  path,
  depth,
  onDownload,
}: {
  containerId: string;
  path: string;
  depth: number;
  onDownload: (file: ContainerFile) => void;
}) {
  const listing = useContainerDirectory(containerId, path);
  if (listing.isPending) {
    return (
      <li className="file-row file-row--note" style={{ paddingLeft: `${depth * 16 + 8}px` }}>
        Reading…
      </li>
    );
  }
  if (listing.isError) {
    return (
      <li className="file-row file-row--note is-error" role="alert" style={{ paddingLeft: `${depth * 16 + 8}px` }}>
        {listing.error.message}
      </li>
    );
  }
  return (
    <>
      {listing.data.entries.map((entry) => (
        <EntryRow key={entry.name} containerId={containerId} entry={entry} depth={depth} onDownload={onDownload} />
      ))}
      {listing.data.truncated && (
        <li className="file-row file-row--note" style={{ paddingLeft: `${depth * 16 + 8}px` }}>
          Only the first {formatCount(listing.data.entries.length)} entries are shown.
        </li>
      )}
    </>
  );
}

function EntryRow({
  containerId,
  entry,
  depth,
  onDownload,
}: {
  containerId: string;
  entry: ContainerFile;
  depth: number;
  onDownload: (file: ContainerFile) => void;
}) {
  const [open, setOpen] = useState(false);
  const isDir = entry.type === 'directory';
  return (
    <>
      <li className="file-row" data-testid="file-row" data-path={entry.path}>
        <span className="file-row__name" style={{ paddingLeft: `${depth * 16}px` }}>
          {isDir ? (
            <button
              type="button"
              className={`icon-button file-row__toggle${open ? ' is-open' : ''}`}
              aria-label={`${open ? 'Close' : 'Open'} ${entry.name}`}
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              <ChevronIcon />
            </button>
          ) : (
            <span className="file-row__toggle" />
          )}
          {isDir ? <FolderIcon /> : entry.type === 'symlink' ? <LinkIcon /> : <FileIcon />}
          <span className="file-row__label" title={entry.path}>
            {entry.name}
            {entry.linkTarget !== null && <span className="file-row__link"> → {entry.linkTarget}</span>}
          </span>
        </span>
        <code className="file-row__mode">{modeString(modeType[entry.type], entry.mode)}</code>
        <span className="file-row__size">{entry.type === 'file' ? formatBytes(entry.size) : ''}</span>
        <span className="file-row__time" title={entry.mtime}>
          <RelativeTime iso={entry.mtime} />
        </span>
        <span className="file-row__actions">
          {entry.type === 'file' && (
            <button
              type="button"
              className="button button--small"
              aria-label={`Download ${entry.name}`}
              onClick={() => onDownload(entry)}
            >
              Download
            </button>
          )}
        </span>
      </li>
      {isDir && open && (
        <DirectoryEntries containerId={containerId} path={entry.path} depth={depth + 1} onDownload={onDownload} />
      )}
    </>
  );
}
