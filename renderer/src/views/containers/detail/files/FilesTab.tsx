import { useState } from 'react';
import type { ContainerFile } from '../../../../../../core/api/containerFiles.schema';
import type { ContainerSummary } from '../../../../../../core/api/containers.schema';
import { sentence } from '../../../../components/useSubmit';
import { ContainerChanges } from './ContainerChanges';
import { DirectoryEntries } from './DirectoryEntries';
import { downloadContainerFile } from './downloadContainerFile';

/**
 * The container's own filesystem (its volumes and binds are not in it, as with `stevedore cp`):
 * a tree read a directory at a time, and beside it what changed against the image.
 */
export function FilesTab({ container }: { container: ContainerSummary }) {
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const onDownload = (file: ContainerFile) => {
    setDownloadError(null);
    downloadContainerFile(container.id, file.path).catch((err: Error) => setDownloadError(sentence(err.message)));
  };
  return (
    <div className="container-files" data-testid="container-files">
      <div className="container-files__tree">
        {downloadError && (
          <p className="container-files__error" role="alert">
            {downloadError}
          </p>
        )}
        <div className="file-row file-row--head" aria-hidden="true">
          <span>Name</span>
          <span>Mode</span>
          <span className="file-row__size">Size</span>
          <span>Modified</span>
          <span />
        </div>
        <ul className="container-files__list" aria-label={`Files of ${container.name}`}>
          <DirectoryEntries containerId={container.id} path="/" depth={0} onDownload={onDownload} />
        </ul>
      </div>
      <ContainerChanges container={container} />
    </div>
  );
}
