/**
 * A bar that fills from 0 to 100. `value` null is an indeterminate bar (no aria-valuenow, as
 * WAI-ARIA says for progress of unknown size). `tone` colours it by outcome; the text beside it
 * always says the same, so colour is never the only signal.
 */
export function ProgressBar({
  value,
  label,
  valueText,
  tone = 'active',
  size = 'regular',
  testId,
}: {
  value: number | null;
  label: string;
  valueText?: string;
  tone?: 'active' | 'done' | 'skipped' | 'failed' | 'stopped';
  size?: 'regular' | 'thin';
  testId?: string;
}) {
  const rounded = value === null ? undefined : Math.round(value);
  return (
    <div
      className={`progress progress--${tone} progress--${size}${value === null ? ' is-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={rounded}
      aria-valuetext={valueText}
      data-testid={testId}
    >
      <div className="progress__fill" style={value === null ? undefined : { width: `${value}%` }} />
    </div>
  );
}
