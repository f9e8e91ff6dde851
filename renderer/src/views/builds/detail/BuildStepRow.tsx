import { memo, useId } from 'react';
import type { BuildOutput, BuildStep } from '../../../../../core/api/builds.schema';
import { ChevronIcon } from '../../../components/icons';
import { sentence } from '../../../components/useSubmit';
import { formatDuration } from '../buildTime';
import { StepLog } from './StepLog';
import { StepMarker } from './StepMarker';

/** One step: `#3 [3/5] RUN make`, its state and time; opened, its output below it. */
export const BuildStepRow = memo(function BuildStepRow({
  step,
  open,
  onToggle,
  output,
}: {
  step: BuildStep;
  open: boolean;
  onToggle: (step: number, open: boolean) => void;
  /** The build's whole output while the step is open (empty when closed). */
  output: readonly BuildOutput[];
}) {
  const logId = useId();
  const time = step.state !== 'cached' && step.durationMs !== null ? formatDuration(step.durationMs) : null;
  return (
    <li
      className={`build-step is-${step.state}${open ? ' is-open' : ''}`}
      data-testid="build-step"
      data-step={step.step}
      data-state={step.state}
    >
      <button
        type="button"
        className="build-step__toggle"
        aria-expanded={open}
        aria-controls={logId}
        data-testid="build-step-toggle"
        onClick={() => onToggle(step.step, !open)}
      >
        <ChevronIcon className="build-step__chevron" width={14} height={14} />
        <span className="build-step__number">#{step.step}</span>
        <span className="build-step__title" title={step.title}>
          {step.title}
        </span>
        <StepMarker state={step.state} />
        <span className="build-step__time" data-testid="step-time">
          {time}
        </span>
      </button>
      {step.error && (
        <p className="build-step__error" data-testid="step-error">
          {sentence(step.error)}
        </p>
      )}
      <div id={logId} className="build-step__log" hidden={!open}>
        {open && <StepLog output={output} step={step} />}
      </div>
    </li>
  );
});
