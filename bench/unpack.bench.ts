import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, projectRoot } from '../testkit/cli.js';
import { type LayerEntry, makeLayer, randomLayer } from '../testkit/layers.js';
import { writeLayout } from '../testkit/ociLayout.js';
import { type Benchmark, checkRatio, formatMs, ratioInfo, reportInfo } from './benchmark.js';
import { runProgram, timeInterleaved } from './timing.js';

/** issue 19: at most half umoci's time, and within 1.5× of GNU tar -x of the same layer (the floor). */
const TARGET_UMOCI = 0.5;
const TARGET_TAR = 1.5;
const REPEATS = 5;
const NODE_FLOOR_LABEL = 'a minimal Node unpack (bench/support/minimalUnpack.cjs)';
const MINIMAL_UNPACK = join(projectRoot, 'bench', 'support', 'minimalUnpack.cjs');
const TAG = 'bench';

interface UnpackCase {
  label: string;
  gzip: boolean;
  layers: () => Promise<Buffer[]>;
  /** Also timed against GNU tar -x of the layer blob (one layer only). */
  tarFloor: boolean;
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
  { label: '20,000-file layer', gzip: true, layers: manySmallFiles, tarFloor: true },
  {
    label: '4 × 48 MiB random layers',
    gzip: false,
    layers: () => Promise.all([0, 1, 2, 3].map(() => randomLayer(48 << 20))),
    tarFloor: false,
  },
];

/**
 * `stevedore unpack` from a cold store (no snapshots, as umoci has none) vs `umoci unpack` of the
 * same layout, and for the 20,000-file layer GNU `tar -x` of the same layer blob: the floor, what
 * creating the files costs the kernel with no checks at all. A second unpack of the same image is
 * printed beside it.
 *
 * What a run unpacked is moved aside and removed only after the last run: this machine's ext4 has
 * no journal, and there creating a file skips every inode deleted in the last few minutes
 * (ext4's recently_deleted(), seen with perf as three quarters of tar's time), so removing 20,000
 * files between runs made the next contender's creates up to 20 times slower, whoever it was.
 */
export const unpackBenchmark: Benchmark = {
  name: 'unpack',
  title: 'unpack: a 20,000-file layer and 4 × 48 MiB layers, vs umoci unpack and GNU tar -x',
  async run(workDir, log) {
    const checks = [];
    const notes: string[] = [];
    const allTimings: Record<string, import('./timing.js').Timing> = {};
    const trash = join(workDir, 'trash');
    mkdirSync(trash);
    let trashed = 0;
    const moveAside = (dir: string) => {
      try {
        renameSync(dir, join(trash, String(trashed++)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    };
    for (const [i, c] of cases.entries()) {
      const layout = join(workDir, `layout-${i}`);
      const [written] = writeLayout(layout, [{ refName: TAG, layers: await c.layers(), gzip: c.gzip }]);
      const root = join(workDir, `root-${i}`);
      runProgram(process.execPath, [cliPath, '--root', root, 'load', '-i', layout, '--name', 'bench/unpack']);
      const ours = join(workDir, `ours-${i}`);
      const theirs = join(workDir, `theirs-${i}`);
      const tarred = join(workDir, `tar-${i}`);
      const coldStore = () => {
        moveAside(ours);
        rmSync(join(root, 'snapshots'), { recursive: true, force: true });
      };
      const contenders = [
        {
          label: 'stevedore unpack',
          prepare: coldStore,
          run: () => void runProgram(process.execPath, [cliPath, '--root', root, 'unpack', `bench/unpack:${TAG}`, ours]),
          cleanUp: () => moveAside(ours),
        },
        {
          label: 'umoci unpack',
          prepare: () => moveAside(theirs),
          run: () => void runProgram('umoci', ['unpack', '--image', `${layout}:${TAG}`, theirs]),
          cleanUp: () => moveAside(theirs),
        },
        {
          label: 'stevedore unpack (again)',
          prepare: () => moveAside(ours),
          run: () => void runProgram(process.execPath, [cliPath, '--root', root, 'unpack', `bench/unpack:${TAG}`, ours]),
          cleanUp: () => moveAside(ours),
        },
      ];
      if (c.tarFloor) {
        const blob = join(layout, 'blobs', 'sha256', written!.layerDigests[0]!.slice(7));
        contenders.push({
          label: 'GNU tar -x',
          prepare: () => mkdirSync(tarred),
          run: () => void runProgram('tar', ['-x', ...(c.gzip ? ['-z'] : []), '-f', blob, '-C', tarred]),
          cleanUp: () => moveAside(tarred),
        });
        const minimal = join(workDir, `minimal-${i}`);
        contenders.push({
          label: NODE_FLOOR_LABEL,
          prepare: () => moveAside(minimal),
          run: () => void runProgram(process.execPath, [MINIMAL_UNPACK, blob, minimal]),
          cleanUp: () => moveAside(minimal),
        });
      }
      const timings = await timeInterleaved(contenders, { warmups: 1, repeats: REPEATS });
      const cold = timings.get('stevedore unpack')!;
      const umoci = timings.get('umoci unpack')!;
      const warm = timings.get('stevedore unpack (again)')!;
      const tar = timings.get('GNU tar -x');
      log(
        `${c.label}: stevedore ${formatMs(cold.medianMs)} (warm ${formatMs(warm.medianMs)}), umoci ${formatMs(umoci.medianMs)}` +
          (tar ? `, GNU tar -x ${formatMs(tar.medianMs)}` : ''),
      );
      checks.push(checkRatio(`${c.label}, stevedore / umoci`, cold, umoci, TARGET_UMOCI));
      const nodeFloor = timings.get(NODE_FLOOR_LABEL);
      if (tar && nodeFloor) {
        // For information: what Node's own cost per file adds when the same files are made one
        // after the other, as tar makes them, with nothing checked.
        const info = [
          `${c.label}, a minimal Node unpack (one thread, no checks) / GNU tar -x: ${ratioInfo(nodeFloor, tar)}`,
          `${c.label}, stevedore / the minimal Node unpack: ${ratioInfo(cold, nodeFloor)}`,
        ];
        reportInfo(info, log, notes);
      }
      if (tar) checks.push(checkRatio(`${c.label}, stevedore / GNU tar -x (the floor)`, cold, tar, TARGET_TAR));
      notes.push(`${c.label}: unpacked again into a new directory, stevedore takes ${formatMs(warm.medianMs)}`);
      for (const [k, v] of timings) allTimings[`${c.label}: ${k}`] = v;
      rmSync(layout, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
    rmSync(trash, { recursive: true, force: true });
    notes.push('outputs moved aside between runs and removed at the end (ext4 without a journal: see unpack.bench.ts)');
    return { name: this.name, timings: allTimings, checks, notes };
  },
};
