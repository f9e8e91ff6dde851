import { ContainersIcon } from '../../components/containerIcons';
import { useUiStore } from '../../state/uiStore';
import { RunButton } from '../run/RunButton';

/** No containers (or none running, with stopped ones hidden): how to start one. */
export function ContainersEmptyState({ showingStopped }: { showingStopped: boolean }) {
  const setShowStopped = useUiStore((s) => s.setShowStoppedContainers);
  const setView = useUiStore((s) => s.setView);
  return (
    <section className="empty-state" data-testid="containers-empty" aria-labelledby="containers-empty-title">
      <div className="empty-state__icon">
        <ContainersIcon width={32} height={32} />
      </div>
      <h2 id="containers-empty-title">{showingStopped ? 'No containers yet' : 'No running containers'}</h2>
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
    </section>
  );
}
