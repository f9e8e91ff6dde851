/**
 * A small line of recent values, oldest at the left, scaled to `max` (or to the largest value
 * seen, for figures with no natural ceiling). Decoration beside a figure in words: hidden from
 * screen readers, which read the figure.
 */
export function Sparkline({
  values,
  max,
  width = 64,
  height = 18,
  capacity,
  testId,
  className = '',
}: {
  values: readonly number[];
  /** The top of the scale; the largest value when absent (never below 1). */
  max?: number;
  width?: number;
  height?: number;
  /** How many samples the width holds: fewer draw from the right, as they arrive. */
  capacity: number;
  testId?: string;
  className?: string;
}) {
  const shown = values.slice(-capacity);
  const top = Math.max(max ?? Math.max(...shown, 0), 1);
  const step = width / Math.max(capacity - 1, 1);
  const start = width - step * (shown.length - 1);
  const points = shown
    .map((v, i) => `${(start + i * step).toFixed(1)},${(height - 1 - (Math.min(v, top) / top) * (height - 2)).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      className={`sparkline ${className}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      data-testid={testId}
      data-samples={shown.length}
    >
      {shown.length > 1 && (
        <>
          <polygon className="sparkline__area" points={`${start.toFixed(1)},${height} ${points} ${width},${height}`} />
          <polyline className="sparkline__line" points={points} />
        </>
      )}
    </svg>
  );
}
