import type { BuildStep } from '../../../../../core/api/builds.schema';
import { Spinner } from '../buildIcons';

const words: Record<BuildStep['state'], string> = { running: 'RUNNING', cached: 'CACHED', done: 'DONE', failed: 'ERROR' };

/** A step's state in the CLI's words (`#3 CACHED`, `#3 DONE`, `#3 ERROR`), turning while it runs. */
export function StepMarker({ state }: { state: BuildStep['state'] }) {
  return (
    <span className={`step-marker is-${state}`} data-testid="step-marker">
      {state === 'running' && <Spinner width={12} height={12} />}
      {words[state]}
    </span>
  );
}
