import type { BuildSummary } from '../../../../core/api/builds.schema';
import { Spinner } from './buildIcons';

const words: Record<BuildSummary['state'], string> = { running: 'Running', done: 'Done', failed: 'Failed' };

/** A build's state as a word in a pill, turning while it runs; the colour only repeats the word. */
export function BuildStatePill({ state }: { state: BuildSummary['state'] }) {
  return (
    <span className={`state-pill build-state is-${state}`} data-testid="build-state" data-state={state}>
      {state === 'running' ? <Spinner width={12} height={12} /> : <span className="state-pill__dot" aria-hidden="true" />}
      {words[state]}
    </span>
  );
}
