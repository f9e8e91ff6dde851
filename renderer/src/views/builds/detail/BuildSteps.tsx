import { useCallback, useState } from 'react';
import type { BuildDetail, BuildStep } from '../../../../../core/api/builds.schema';
import { BuildStepRow } from './BuildStepRow';

/** A step the person has not opened or closed shows its output while it runs, and when it failed. */
const NO_OUTPUT: BuildDetail['output'] = [];

const openByDefault = (step: BuildStep) => step.state === 'running' || step.state === 'failed';

/**
 * The build's steps in order, as the engine reported them so far. Each opens to its output; the
 * running one is open on its own (and closes when it is done, as BuildKit's progress does),
 * unless the person opened or closed it.
 */
export function BuildSteps({ build }: { build: Pick<BuildDetail, 'steps' | 'output' | 'state'> }) {
  const [toggled, setToggled] = useState<ReadonlyMap<number, boolean>>(new Map());
  const onToggle = useCallback((step: number, open: boolean) => setToggled((m) => new Map(m).set(step, open)), []);
  if (build.steps.length === 0) {
    return (
      <p className="placeholder" data-testid="build-no-steps">
        {build.state === 'running' ? 'Reading the Dockerfile…' : 'No step ran.'}
      </p>
    );
  }
  return (
    <ol className="build-steps" aria-label="Steps" data-testid="build-steps">
      {build.steps.map((step) => {
        const open = toggled.get(step.step) ?? openByDefault(step);
        // Closed steps do not read the output: they are not drawn again as it grows.
        return (
          <BuildStepRow key={step.step} step={step} open={open} onToggle={onToggle} output={open ? build.output : NO_OUTPUT} />
        );
      })}
    </ol>
  );
}
