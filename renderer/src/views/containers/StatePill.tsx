import type { ContainerState } from '../../../../core/api/containers.schema';

const words: Record<ContainerState, string> = { created: 'Created', running: 'Running', paused: 'Paused', exited: 'Exited' };

/** The container's state as a word in a pill; the colour only repeats what the word says. */
export function StatePill({ state }: { state: ContainerState }) {
  return (
    <span className={`state-pill is-${state}`} data-testid="container-state" data-state={state}>
      <span className="state-pill__dot" aria-hidden="true" />
      {words[state]}
    </span>
  );
}
