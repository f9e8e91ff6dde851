import type { BuildSummary } from '../../../../core/api/builds.schema';
import { useNow } from '../../components/useNow';
import { buildDuration, formatDuration } from './buildTime';

type Times = Pick<BuildSummary, 'startedAt' | 'endedAt'>;

const text = (build: Times, now: number) => {
  const ms = buildDuration(build, now);
  return ms === null ? '—' : formatDuration(ms);
};

/** Ticks with the shared clock: only running builds read it. */
function RunningFor({ build }: { build: Times }) {
  const now = useNow();
  return <span data-testid="build-duration">{text(build, now)}</span>;
}

/** How long a build took; while it runs, how long so far. */
export function BuildDuration({ build }: { build: Times }) {
  if (build.endedAt === null) return <RunningFor build={build} />;
  return <span data-testid="build-duration">{text(build, 0)}</span>;
}
