import { CopyButton } from '../../components/CopyButton';
import { EmptyState } from '../../components/EmptyState';
import { ImagesIcon } from '../../components/icons';
import { PullButton } from '../pull/PullButton';

const loadCommand = 'stevedore load -i PATH';

/** What a new user sees: how to get a first image into the store, today. */
export function ImagesEmptyState() {
  return (
    <EmptyState icon={ImagesIcon} title="No images yet" testId="images-empty">
      <p>
        Load an image from an OCI image layout directory, an OCI archive, or a tarball made by <code>docker save</code>. In a
        terminal, run:
      </p>
      <div className="command">
        <code className="command__text" data-testid="load-command">
          {loadCommand}
        </code>
        <CopyButton text={loadCommand} label="Copy the command" />
      </div>
      <p className="empty-state__hint">
        Images without a name are named after the file; add <code>--name REPOSITORY</code> to choose another.
      </p>
      <p className="empty-state__hint">Or pull one from a registry:</p>
      <PullButton primary testId="empty-pull-button" />
    </EmptyState>
  );
}
