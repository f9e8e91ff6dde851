import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall times of repeated runs of one thing, in milliseconds. */
export interface Timing {
  samplesMs: number[];
  medianMs: number;
  bestMs: number;
}

/** The middle of the samples (of an even count, the mean of the middle two). */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function timingOf(samplesMs: number[]): Timing {
  return {
    samplesMs: samplesMs.map(round),
    medianMs: round(median(samplesMs)),
    bestMs: round(samplesMs.length > 0 ? Math.min(...samplesMs) : Number.NaN),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** One of the things a benchmark times; `prepare` and `cleanUp` run outside the clock. */
export interface Contender {
  label: string;
  prepare?: () => void | Promise<void>;
  run: () => void | Promise<void>;
  cleanUp?: () => void | Promise<void>;
}

export interface RepeatPlan {
  warmups: number;
  repeats: number;
}

/**
 * Runs the contenders round-robin, so each sees the same conditions (page cache, CPU frequency,
 * whatever else runs on the machine); the order rotates every round so none is always first.
 * Warm-up rounds run the same way and are not counted.
 */
export async function timeInterleaved(contenders: Contender[], plan: RepeatPlan): Promise<Map<string, Timing>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.label, []]));
  for (let round = 0; round < plan.warmups + plan.repeats; round++) {
    const counted = round >= plan.warmups;
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(round + i) % contenders.length]!;
      await contender.prepare?.();
      const start = performance.now();
      await contender.run();
      const elapsed = performance.now() - start;
      await contender.cleanUp?.();
      if (counted) samples.get(contender.label)!.push(elapsed);
    }
  }
  return new Map([...samples].map(([label, ms]) => [label, timingOf(ms)]));
}

/** Runs a program to its end, as a shell would; throws with its stderr when it fails. Returns stdout. */
export function runProgram(command: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...(env ? { env } : {}),
  });
  if (result.status !== 0) {
    const why = result.error?.message ?? (result.stderr.trim() || `exit code ${result.status ?? result.signal}`);
    throw new Error(`${command} ${args.join(' ')} failed: ${why}`);
  }
  return result.stdout;
}
