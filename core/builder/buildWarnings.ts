import type { Dockerfile } from './dockerfile/instructionTypes.js';

/**
 * What a build warns about without failing: `--build-arg`s no ARG declared, in the words of
 * docker's builder (moby builder/dockerfile/buildargs.go, WarnOnUnusedBuildArgs: the names as Go
 * prints a list), then the parser's own warnings.
 */
export function buildWarnings(dockerfile: Dockerfile): string[] {
  const unused = dockerfile.unusedBuildArgs;
  return [
    ...(unused.length > 0 ? [`[Warning] One or more build-args [${unused.join(' ')}] were not consumed`] : []),
    ...dockerfile.warnings,
  ];
}
