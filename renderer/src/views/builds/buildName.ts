import type { BuildSummary } from '../../../../core/api/builds.schema';

/** The context folder's last part: `/home/me/app/` is `app`. */
export function folderName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts.at(-1) ?? path;
}

/** What a build is called in the history: its first tag, or (untagged) its context folder's name. */
export function buildName(build: Pick<BuildSummary, 'tags' | 'contextDir'>): string {
  return build.tags[0] ?? folderName(build.contextDir);
}
