import { useMemo, useState } from 'react';
import type { BuildOutput, BuildStep } from '../../../../../core/api/builds.schema';
import { LogView } from '../../containers/detail/logs/LogView';
import { stepLines } from './stepLines';

const LINE_HEIGHT = 20;
/** Lines in view before the log scrolls on its own (it is virtualized: thousands cost as little). */
const LINES_IN_VIEW = 16;

/** One step's output, as the Logs tab draws a container's: stderr marked, following the end while it grows. */
export function StepLog({ output, step }: { output: readonly BuildOutput[]; step: BuildStep }) {
  const lines = useMemo(() => stepLines(output, step.step), [output, step.step]);
  const [follow, setFollow] = useState(true);
  if (lines.length === 0) {
    return (
      <p className="build-step__empty" data-testid="step-log-empty">
        {step.state === 'running' ? 'Nothing yet: lines appear as the step writes them.' : 'This step wrote nothing.'}
      </p>
    );
  }
  return (
    <div className="build-step__lines" style={{ height: Math.min(lines.length, LINES_IN_VIEW) * LINE_HEIGHT + 2 }}>
      <LogView
        lines={lines}
        search=""
        timestamps={false}
        follow={follow}
        onFollowChange={setFollow}
        label={`Output of step #${step.step}`}
      />
    </div>
  );
}
