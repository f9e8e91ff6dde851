import type { BuildSummary } from '../../../../core/api/builds.schema';

/** A step's or a build's time as the CLI prints it (`0.4s`, `12.0s`), then `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(safe / 1000).toFixed(1)}s`;
  const seconds = Math.floor(safe / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** How long the build took, or has been running at `now`; null when its times cannot be read. */
export function buildDuration(build: Pick<BuildSummary, 'startedAt' | 'endedAt'>, now: number): number | null {
  const started = Date.parse(build.startedAt);
  const ended = build.endedAt === null ? now : Date.parse(build.endedAt);
  if (Number.isNaN(started) || Number.isNaN(ended)) return null;
  return ended - started;
}

/** `5 steps · 4 cached`, as the history and the detail count them. */
export function stepCountText(build: Pick<BuildSummary, 'stepCount' | 'cachedCount'>): string {
  const steps = `${build.stepCount} ${build.stepCount === 1 ? 'step' : 'steps'}`;
  return build.cachedCount > 0 ? `${steps} · ${build.cachedCount} cached` : steps;
}
