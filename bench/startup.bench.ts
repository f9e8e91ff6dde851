import { join } from 'node:path';
import { cliPath } from '../testkit/cli.js';
import { type Benchmark, checkRatio, formatMs, ratioInfo } from './benchmark.js';
import { withChildCpu } from './support/childCpu.js';
import { runProgram, timeInterleaved, timingOf } from './timing.js';

/** issue 19: `stevedore --version` at most 1.5 times node's own start-up. */
const TARGET_VERSION = 1.5;
const REPEATS = 15;
const WARMUPS = 2;
const NODE = 'node -e 0';

/**
 * The CLI's start-up against node's: `stevedore --version` (the CLI alone), `images` and `ps` over
 * an empty store (what a command costs before it has work), each a fresh process as a shell starts
 * it (`node dist/cli.cjs`, what `stevedore` on the PATH runs), with a code cache of its own that the
 * warm-up round writes, as a person's first run does.
 */
export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'CLI start-up: stevedore --version, images and ps against node -e 0',
  async run(workDir, log) {
    const root = join(workDir, 'root');
    const { STEVEDORE_ROOT: _ignored, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = { ...inherited, XDG_CACHE_HOME: join(workDir, 'cache') };
    const cli = (args: string[]) => () => void runProgram(process.execPath, [cliPath, '--root', root, ...args], env);
    const cpu = new Map<string, number[]>();
    const timings = await timeInterleaved(
      [
        { label: NODE, run: () => void runProgram(process.execPath, ['-e', '0'], env) },
        { label: 'stevedore --version', run: cli(['--version']) },
        { label: 'stevedore images', run: cli(['images']) },
        { label: 'stevedore ps', run: cli(['ps']) },
      ].map((c) => withChildCpu(c, cpu)),
      { warmups: WARMUPS, repeats: REPEATS },
    );
    for (const [label, t] of timings) log(`${label.padEnd(20)} median ${formatMs(t.medianMs)}, best ${formatMs(t.bestMs)}`);
    const node = timings.get(NODE)!;
    // CPU time (user + system, 10 ms ticks) is steadier than wall time on a busy machine.
    const cpuOf = (label: string) => timingOf(cpu.get(label)!.slice(WARMUPS)).medianMs;
    const cpuRatios = [...timings.keys()]
      .filter((label) => label !== NODE)
      .map((label) => `${label} ${(cpuOf(label) / cpuOf(NODE)).toFixed(2)}`)
      .join(', ');
    const info = [
      ...['images', 'ps'].map(
        (c) => `stevedore ${c} (empty store) / ${NODE}: ${ratioInfo(timings.get(`stevedore ${c}`)!, node)}`,
      ),
      `CPU medians (user + system): ${NODE} ${formatMs(cpuOf(NODE))}; against it: ${cpuRatios}`,
    ];
    for (const line of info) log(`info (no target): ${line}`);
    return {
      name: this.name,
      timings: Object.fromEntries(timings),
      checks: [checkRatio(`stevedore --version / ${NODE}`, timings.get('stevedore --version')!, node, TARGET_VERSION)],
      notes: info.map((line) => `info (no target): ${line}`),
    };
  },
};
