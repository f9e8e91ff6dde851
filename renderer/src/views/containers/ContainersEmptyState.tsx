import { ContainersIcon } from '../../components/containerIcons';
import { EmptyState } from '../../components/EmptyState';
import { useUiStore } from '../../state/uiStore';
import { RunButton } from '../run/RunButton';

/** No containers (or none running, with stopped ones hidden): how to start one. */
export function ContainersEmptyState({ showingStopped }: { showingStopped: boolean }) {
  const setShowStopped = useUiStore((s) => s.setShowStoppedContainers);
  const setView = useUiStore((s) => s.setView);
  return (
    <EmptyState
      icon={ContainersIcon}
      title={showingStopped ? 'No containers yet' : 'No running containers'}
      testId="containers-empty"
    >
      <p>
        Run an image from{' '}
        <button type="button" className="link-button" onClick={() => setView('images')}>
          Images
        </button>{' '}
        with its Run button, or name one here. In a terminal, <code>stevedore run -d IMAGE</code> starts one too.
      </p>
      <RunButton image="" variant="primary" testId="empty-run-button" />
      {!showingStopped && (
        <button type="button" className="link-button" onClick={() => setShowStopped(true)}>
          Show stopped containers
        </button>
      )}
    </EmptyState>
  );
}
