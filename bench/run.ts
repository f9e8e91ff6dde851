// `npm run bench [-- NAME...]`: each benchmark against its peer, a summary table, and
// bench/output/results.json. Missing a target is a finding, not a failure: the exit code is 0
// unless a benchmark could not run at all.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { cliPath, projectRoot } from '../testkit/cli.js';
import { type Benchmark, type BenchmarkResult, formatCheckValue, formatLimit } from './benchmark.js';
import { buildBenchmark } from './build.bench.js';
import { hashingBenchmark } from './hashing.bench.js';
import { imagesFirstRowBenchmark } from './imagesFirstRow.bench.js';
import { imagesListBenchmark } from './imagesList.bench.js';
import { layerDiffBenchmark } from './layerDiff.bench.js';
import { layersTabBenchmark } from './layersTab.bench.js';
import { loadBenchmark } from './load.bench.js';
import { memoryBenchmark } from './memory.bench.js';
import { registryBenchmark } from './registry.bench.js';
import { runtimeBenchmark } from './runtime.bench.js';
import { startupBenchmark } from './startup.bench.js';
import { storeGraphBenchmark } from './storeGraph.bench.js';
import { storeGraphPanBenchmark } from './storeGraphPan.bench.js';
import { unpackBenchmark } from './unpack.bench.js';
import { vmBenchmark } from './vm.bench.js';

const benchmarks: Benchmark[] = [
  startupBenchmark,
  loadBenchmark,
  imagesListBenchmark,
  hashingBenchmark,
  registryBenchmark,
  unpackBenchmark,
  layerDiffBenchmark,
  storeGraphBenchmark,
  imagesFirstRowBenchmark,
  storeGraphPanBenchmark,
  layersTabBenchmark,
  runtimeBenchmark,
  buildBenchmark,
  vmBenchmark,
  memoryBenchmark,
];
const outputDir = join(projectRoot, 'bench', 'output');
/** Above this 1-minute load average before the run, something else is competing for the CPUs. */
const BUSY_LOAD_AVERAGE = 1.5;

function selected(names: string[]): Benchmark[] {
  if (names.length === 0) return benchmarks;
  const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${benchmarks.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  return benchmarks.filter((b) => names.includes(b.name));
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The benchmarks time the built CLI, so it must be built from the engine as it is now. */
function ensureCliBuilt(): void {
  const built = statSync(cliPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built >= newestSourceTime(join(projectRoot, 'core'))) return;
  console.log(built === 0 ? 'dist/cli.cjs is missing: building it' : 'dist/cli.cjs is older than core/: rebuilding it');
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build.mjs'), '--cli'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('building the CLI failed');
    process.exit(1);
  }
}

function firstLine(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : `unavailable (${command})`;
}

function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    skopeo: firstLine('skopeo', ['--version']),
    sha256sum: firstLine('sha256sum', ['--version']),
    tmpdir: tmpdir(),
    /** Other work on the machine skews every number; 1, 5 and 15 minute averages when the run began. */
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
}

function summaryTable(results: BenchmarkResult[], failures: { name: string; error: string }[]): string {
  const header = ['BENCHMARK', 'METRIC', 'VALUE', 'TARGET', 'RESULT', 'FROM'];
  const rows = results.flatMap((r) =>
    r.checks.map((c) => [r.name, c.metric, formatCheckValue(c), formatLimit(c), c.met ? 'ok' : 'MISSED', c.detail]),
  );
  for (const f of failures) rows.push([f.name, '(did not run)', '-', '-', 'ERROR', f.error.split('\n')[0] ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

async function main(): Promise<void> {
  const chosen = selected(process.argv.slice(2));
  ensureCliBuilt();
  const workRoot = mkdtempSync(join(tmpdir(), 'stevedore-bench-'));
  const removeWork = () => rmSync(workRoot, { recursive: true, force: true });
  process.once('SIGINT', () => {
    removeWork();
    process.exit(130);
  });
  const startedAt = new Date();
  const machineInfo = machine();
  const results: BenchmarkResult[] = [];
  const failures: { name: string; error: string }[] = [];
  try {
    for (const benchmark of chosen) {
      console.log(`\n▶ ${benchmark.title}`);
      const workDir = join(workRoot, benchmark.name);
      mkdirSync(workDir);
      const start = Date.now();
      try {
        const result = await benchmark.run(workDir, (line) => console.log(`  ${line}`));
        results.push(result);
        for (const c of result.checks) {
          console.log(`  ${c.met ? 'ok    ' : 'MISSED'} ${c.metric}: ${formatCheckValue(c)} (target ${formatLimit(c)})`);
        }
      } catch (err) {
        failures.push({ name: benchmark.name, error: (err as Error).stack ?? String(err) });
        console.error(`  ERROR ${(err as Error).message}`);
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
      console.log(`  (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    }
  } finally {
    removeWork();
  }

  const loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const missed = results.flatMap((r) => r.checks.filter((c) => !c.met).map((c) => `${r.name}: ${c.metric}`));
  console.log(`\n${summaryTable(results, failures)}`);
  for (const r of results) for (const note of r.notes) console.log(`  ${r.name}: ${note}`);
  console.log(
    missed.length === 0 && failures.length === 0
      ? '\nEvery target met.'
      : `\n${missed.length} target(s) MISSED${failures.length > 0 ? `, ${failures.length} benchmark(s) failed to run` : ''}.`,
  );

  // The average at the end counts the benchmarks' own work, so only the start tells of others.
  const before = machineInfo.loadAverageAtStart[0] ?? 0;
  if (before > BUSY_LOAD_AVERAGE) {
    console.log(
      `Note: the machine was busy before the run (1-minute load average ${before} on ${machineInfo.cores} cores): expect noise; the best-run ratios are steadier.`,
    );
  }

  mkdirSync(outputDir, { recursive: true });
  const report = {
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    machine: { ...machineInfo, loadAverageAtEnd },
    allTargetsMet: missed.length === 0 && failures.length === 0,
    missed,
    benchmarks: results,
    failures,
  };
  const resultsFile = join(outputDir, 'results.json');
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Results: ${resultsFile}`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
