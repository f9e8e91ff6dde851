import type { LiveState } from '../../state/liveBlobs';

/**
 * A card's line while a transfer moves its blob (or after it failed on it): the state in words and,
 * while bytes move, a bar. Only this line changes on progress: the graph is not laid out again.
 */
export function LiveLine({
  live,
  label,
}: {
  live: { state: LiveState; percent: number; error?: string | undefined };
  label: string;
}) {
  const moving = live.state === 'moving' || live.state === 'verifying' || live.state === 'waiting';
  return (
    <div className="dag-card__live" data-testid="dag-node-live" title={live.error}>
      <span className="dag-card__live-label">{label}</span>
      {moving && (
        <span className="dag-card__live-bar" aria-hidden="true">
          <span style={{ width: `${live.percent}%` }} />
        </span>
      )}
    </div>
  );
}
