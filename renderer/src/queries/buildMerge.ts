/*
 * Build events applied to what the engine last answered (builds.list, builds.inspect). Each event
 * carries the stamp it got on arrival (buildEventClock.ts); an answer holds every event stamped
 * at or before its own mark, so only later ones are applied to it, and none twice.
 */
import type { BuildOutput, BuildStep, BuildSummary } from '../../../core/api/builds.schema';
import type { BuildList, LiveBuild } from './buildQueries';

export type BuildEvent =
  | { kind: 'progress'; stamp: number; buildId: string; step: BuildStep }
  | { kind: 'output'; stamp: number; buildId: string; output: BuildOutput }
  | { kind: 'ended'; stamp: number; summary: BuildSummary };

export const eventBuildId = (event: BuildEvent): string => (event.kind === 'ended' ? event.summary.buildId : event.buildId);

/** The steps with `step` in its place: a step is reported running, then again as it ends. */
export function withStep(steps: BuildStep[], step: BuildStep): BuildStep[] {
  const at = steps.findIndex((s) => s.step === step.step);
  if (at === -1) return [...steps, step].sort((a, b) => a.step - b.step);
  return steps.map((s, i) => (i === at ? step : s));
}

/** One build's detail after the events that came after it was fetched. */
export function applyToBuild(build: LiveBuild, events: BuildEvent[]): LiveBuild {
  const fresh = events.filter((e) => e.stamp > build.eventMark && eventBuildId(e) === build.buildId);
  const last = fresh.at(-1);
  if (!last) return build;
  let steps = build.steps;
  const output: BuildOutput[] = [];
  let next: LiveBuild = build;
  for (const event of fresh) {
    if (event.kind === 'progress') steps = withStep(steps, event.step);
    else if (event.kind === 'output') output.push(event.output);
    else {
      const { buildId: _id, ...summary } = event.summary;
      next = { ...next, ...summary };
    }
  }
  return {
    ...next,
    steps,
    stepCount: steps.length,
    cachedCount: steps.filter((s) => s.state === 'cached').length,
    output: output.length > 0 ? build.output.concat(output) : build.output,
    eventMark: last.stamp,
  };
}

/**
 * The history after the events that came after it was fetched: a step reported running is one
 * more step, one reported cached one more cached (the engine always reports a step running
 * first), and an ended build takes the engine's summary. `unknown` is true when an event names
 * a build the list does not have yet (started elsewhere): the list must be fetched again.
 */
export function applyToList(list: BuildList, events: BuildEvent[]): { list: BuildList; unknown: boolean } {
  const fresh = events.filter((e) => e.stamp > list.eventMark && e.kind !== 'output');
  const last = fresh.at(-1);
  if (!last) return { list, unknown: false };
  const byId = new Map(list.builds.map((b) => [b.buildId, b]));
  let unknown = false;
  for (const event of fresh) {
    const id = eventBuildId(event);
    const build = byId.get(id);
    if (event.kind === 'ended') {
      if (!build) unknown = true;
      byId.set(id, event.summary);
    } else if (!build) unknown = true;
    else if (event.kind === 'progress') {
      const { state } = event.step;
      if (state === 'running') byId.set(id, { ...build, stepCount: build.stepCount + 1 });
      else if (state === 'cached') byId.set(id, { ...build, cachedCount: build.cachedCount + 1 });
    }
  }
  const builds = [...byId.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return { list: { builds, eventMark: last.stamp }, unknown };
}
