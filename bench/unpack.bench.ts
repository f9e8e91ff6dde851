import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from '../testkit/cli.js';
import { type LayerEntry, makeLayer, randomLayer } from '../testkit/layers.js';
import { writeLayout } from '../testkit/ociLayout.js';
import { type Benchmark, checkRatio, formatMs } from './benchmark.js';
import { runProgram, timeInterleaved } from './timing.js';

const TARGET_RATIO = 1.0;
const REPEATS = 5;
const TAG = 'bench';

interface UnpackCase {
  label: string;
  gzip: boolean;
  layers: () => Promise<Buffer[]>;
}

/** 100 directories of 200 small files: bound by creating files, not by bytes. */
async function manySmallFiles(): Promise<Buffer[]> {
  const entries: LayerEntry[] = [];
  for (let d = 0; d < 100; d++) {
    entries.push({ path: `usr/share/d${d}/`, type: 'directory' });
    for (let f = 0; f < 200; f++) entries.push({ path: `usr/share/d${d}/f${f}.txt`, content: `file ${d}/${f}\n`.repeat(16) });
  }
  return [await makeLayer(entries)];
}

const cases: UnpackCase[] = [
  { label: '20,000-file layer', gzip: true, layers: manySmallFiles },
  { label: '4 × 48 MiB random layers', gzip: false, layers: () => Promise.all([0, 1, 2, 3].map(() => randomLayer(48 << 20))) },
];

/**
 * `stevedore unpack` from a cold store (no snapshots, as umoci has none) vs `umoci unpack` of the
 * same layout; a second unpack of the same image is printed beside it.
 */
export const unpackBenchmark: Benchmark = {
  name: 'unpack',
  title: 'unpack: a 20,000-file layer and 4 × 48 MiB layers, vs umoci unpack',
  async run(workDir, log) {
    const checks = [];
    const notes: string[] = [];
    const allTimings: Record<string, import('./timing.js').Timing> = {};
    for (const [i, c] of cases.entries()) {
      const layout = join(workDir, `layout-${i}`);
      writeLayout(layout, [{ refName: TAG, layers: await c.layers(), gzip: c.gzip }]);
      const root = join(workDir, `root-${i}`);
      runProgram(process.execPath, [cliPath, '--root', root, 'load', '-i', layout, '--name', 'bench/unpack']);
      const ours = join(workDir, `ours-${i}`);
      const theirs = join(workDir, `theirs-${i}`);
      const coldStore = () => {
        rmSync(ours, { recursive: true, force: true });
        rmSync(join(root, 'snapshots'), { recursive: true, force: true });
      };
      const timings = await timeInterleaved(
        [
          {
            label: 'stevedore unpack',
            prepare: coldStore,
            run: () => void runProgram(process.execPath, [cliPath, '--root', root, 'unpack', `bench/unpack:${TAG}`, ours]),
            cleanUp: () => rmSync(ours, { recursive: true, force: true }),
          },
          {
            label: 'umoci unpack',
            prepare: () => rmSync(theirs, { recursive: true, force: true }),
            run: () => void runProgram('umoci', ['unpack', '--image', `${layout}:${TAG}`, theirs]),
            cleanUp: () => rmSync(theirs, { recursive: true, force: true }),
          },
          {
            label: 'stevedore unpack (again)',
            prepare: () => rmSync(ours, { recursive: true, force: true }),
            run: () => void runProgram(process.execPath, [cliPath, '--root', root, 'unpack', `bench/unpack:${TAG}`, ours]),
            cleanUp: () => rmSync(ours, { recursive: true, force: true }),
          },
        ],
        { warmups: 1, repeats: REPEATS },
      );
      const cold = timings.get('stevedore unpack')!;
      const umoci = timings.get('umoci unpack')!;
      const warm = timings.get('stevedore unpack (again)')!;
      log(
        `${c.label}: stevedore ${formatMs(cold.medianMs)} (warm ${formatMs(warm.medianMs)}), umoci ${formatMs(umoci.medianMs)}`,
      );
      checks.push(checkRatio(`${c.label}, stevedore / umoci`, cold, umoci, TARGET_RATIO));
      notes.push(`${c.label}: unpacked again into a new directory, stevedore takes ${formatMs(warm.medianMs)}`);
      for (const [k, v] of timings) allTimings[`${c.label}: ${k}`] = v;
      rmSync(layout, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
    return { name: this.name, timings: allTimings, checks, notes };
  },
};
