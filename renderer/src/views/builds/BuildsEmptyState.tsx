import { EmptyState } from '../../components/EmptyState';
import { BuildsIcon } from './buildIcons';
import { NewBuildButton } from './NewBuildButton';

/** No build yet: what a build is here, and how to start one. */
export function BuildsEmptyState() {
  return (
    <EmptyState icon={BuildsIcon} title="No builds yet" testId="builds-empty">
      <p>
        Build an image from a Dockerfile in a folder on the engine’s machine. Every build is kept, each with its steps and their
        output: those started here and those run in a terminal with <code>stevedore build</code>.
      </p>
      <NewBuildButton primary testId="empty-new-build" />
    </EmptyState>
  );
}
