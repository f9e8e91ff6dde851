import type { BuildSummary } from '../../../../core/api/builds.schema';

/** Whether a build's tags, context folder, Dockerfile, ID or state contain the search text. */
export function buildMatches(build: BuildSummary, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  return [...build.tags, build.contextDir, build.dockerfile, build.buildId, build.state].some((text) =>
    text.toLowerCase().includes(needle),
  );
}
