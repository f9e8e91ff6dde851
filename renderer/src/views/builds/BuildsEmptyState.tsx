import { BuildsIcon } from './buildIcons';
import { NewBuildButton } from './NewBuildButton';

/** No build yet: what a build is here, and how to start one. */
export function BuildsEmptyState() {
  return (
    <section className="empty-state" data-testid="builds-empty" aria-labelledby="builds-empty-title">
      <div className="empty-state__icon">
        <BuildsIcon width={32} height={32} />
      </div>
      <h2 id="builds-empty-title">No builds yet</h2>
      <p>
        Build an image from a Dockerfile in a folder on the engine’s machine. Builds started here are kept, each with its steps
        and their output. Builds run in a terminal with <code>stevedore build</code> are not listed here.
      </p>
      <NewBuildButton primary testId="empty-new-build" />
    </section>
  );
}
