import type { Timing } from './timing.js';

/** A number a benchmark promises to keep under a limit, and whether this run kept it. */
export interface TargetCheck {
  /** What is compared, e.g. "stevedore / skopeo". */
  metric: string;
  value: number;
  unit: 'ratio' | 'ms';
  /** The value must be at most (`<=`) or under (`<`) the limit. */
  comparison: '<=' | '<';
  limit: number;
  met: boolean;
  /** The raw numbers behind a ratio, e.g. "812 ms vs 901 ms". */
  detail: string;
}

export function checkTarget(
  metric: string,
  value: number,
  unit: TargetCheck['unit'],
  comparison: TargetCheck['comparison'],
  limit: number,
  detail: string,
): TargetCheck {
  const rounded = unit === 'ratio' ? Math.round(value * 1000) / 1000 : Math.round(value * 10) / 10;
  const met = comparison === '<=' ? value <= limit : value < limit;
  return { metric, value: rounded, unit, comparison, limit, met, detail };
}

/**
 * A ratio of two timings, judged on medians. The ratio of the best runs is given beside it: on a
 * shared machine noise only ever adds time, so it is the steadier figure when the two disagree.
 */
export function checkRatio(metric: string, numerator: Timing, denominator: Timing, limit: number): TargetCheck {
  const bestRatio = (numerator.bestMs / denominator.bestMs).toFixed(2);
  return checkTarget(
    metric,
    numerator.medianMs / denominator.medianMs,
    'ratio',
    '<=',
    limit,
    `${formatMs(numerator.medianMs)} vs ${formatMs(denominator.medianMs)} (medians); best runs ${bestRatio}`,
  );
}

export interface BenchmarkResult {
  name: string;
  /** What was measured, keyed by contender label, e.g. "stevedore load", "skopeo copy". */
  timings: Record<string, Timing>;
  checks: TargetCheck[];
  /** Context that is not a target: sizes, setup times, throughputs. */
  notes: string[];
}

export interface Benchmark {
  /** The name `npm run bench -- NAME` selects. */
  name: string;
  title: string;
  /** Runs in `workDir`, an empty directory removed afterwards. Logs progress with `log`. */
  run(workDir: string, log: (line: string) => void): Promise<BenchmarkResult>;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** "1.07 (512 ms vs 478 ms medians; best runs 1.05)": a ratio of two timings for an information line, with no target. */
export function ratioInfo(numerator: Timing, denominator: Timing): string {
  return (
    `${(numerator.medianMs / denominator.medianMs).toFixed(2)} ` +
    `(${formatMs(numerator.medianMs)} vs ${formatMs(denominator.medianMs)} medians; best runs ${(numerator.bestMs / denominator.bestMs).toFixed(2)})`
  );
}

/** Lines for information, with no target: printed as the benchmark runs, and kept in its notes. */
export function reportInfo(lines: string[], log: (line: string) => void, notes: string[]): void {
  for (const line of lines) {
    log(`info (no target): ${line}`);
    notes.push(`info (no target): ${line}`);
  }
}

export function formatCheckValue(check: TargetCheck): string {
  return check.unit === 'ratio' ? check.value.toFixed(2) : formatMs(check.value);
}

export function formatLimit(check: TargetCheck): string {
  return `${check.comparison} ${check.unit === 'ratio' ? check.limit.toFixed(2) : formatMs(check.limit)}`;
}

/** MB/s (10^6 bytes) for a byte count moved in a time. */
export function throughput(bytes: number, ms: number): string {
  return `${Math.round(bytes / 1e6 / (ms / 1000))} MB/s`;
}
