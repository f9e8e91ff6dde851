import type { BuildStep } from '../api/builds.schema.js';

/** A duration as BuildKit prints it: `1.2s`. */
export const seconds = (ms: number | null) => `${((ms ?? 0) / 1000).toFixed(1)}s`;

/**
 * What BuildKit's plain progress prints for one step event: `#N [2/5] RUN make` as it starts,
 * then `#N DONE 1.2s`, `#N CACHED` or `#N ERROR: …`, each end followed by a blank line.
 */
export function stepLines(e: BuildStep): string {
  if (e.state === 'running') return `#${e.step} ${e.title}\n`;
  if (e.state === 'cached') return `#${e.step} CACHED\n\n`;
  if (e.state === 'done') return `#${e.step} DONE ${seconds(e.durationMs)}\n\n`;
  return `#${e.step} ERROR: ${e.error}\n\n`;
}

/** A build's warnings (`[Warning] One or more build-args [X] were not consumed`), a line each. */
export function warningLines(warnings: readonly string[]): string {
  return warnings.map((w) => `${w}\n`).join('');
}

/** The lines after a build's steps and warnings, as docker prints them: the image written, each tag named. */
export function resultLines(result: { imageId: string; tags: readonly string[] }, elapsedMs: number): string {
  const tags = result.tags.map((tag) => `naming to ${tag} done\n`).join('');
  return `writing image ${result.imageId} done (${seconds(elapsedMs)})\n${tags}`;
}
