import type { FileInfo } from '../core/api/layers.schema.js';
import { diffLayer, type Stack, subtreeSize } from '../core/layers/fileTreeDiff.js';
import type { LayerIndex } from '../core/layers/layerIndex.js';
import { type Benchmark, checkRatio, formatMs } from './benchmark.js';
import { timeInterleaved } from './timing.js';

const SMALL = 25_000;
const LARGE = 100_000;
/** issue 15: linear in the removed subtree, so four times the paths at most ~4 times the time (5 leaves room for noise). */
const TARGET_GROWTH = 5;

/** A stack with `count` files under `tree/` in directories of 100, beside a few files that stay. */
function stackWith(count: number): Stack {
  const stack: Stack = new Map();
  const add = (path: string, type: FileInfo['type'], size: number) =>
    stack.set(path, { path, type, size, mode: 0o644, uid: 0, gid: 0, hash: type === 'file' ? `h${path}` : undefined });
  add('tree', 'dir', 0);
  for (let i = 0; i < count; i++) {
    if (i % 100 === 0) add(`tree/d${i / 100}`, 'dir', 0);
    add(`tree/d${Math.floor(i / 100)}/f${i}`, 'file', 10);
  }
  for (const name of ['etc/passwd', 'etc/group', 'bin/sh']) add(name, 'file', 1);
  return stack;
}

/** The three ways a layer takes a subtree away: a whiteout, an opaque marker, a file replacing the directory. */
function removeEveryWay(stack: Stack): void {
  const layers: LayerIndex[] = [
    { files: [], whiteouts: ['tree'], opaques: [] },
    { files: [], whiteouts: [], opaques: ['tree'] },
    { files: [{ path: 'tree', type: 'file', size: 1, mode: 0o644, uid: 0, gid: 0, hash: 'x' }], whiteouts: [], opaques: [] },
  ];
  for (const layer of layers) diffLayer(stack, layer);
  subtreeSize(stack, 'tree');
}

/**
 * The Layers tab's and `stevedore diff`'s work on a layer that removes a big directory: in-process,
 * at 25,000 and 100,000 paths removed. What is compared is the growth: linear code takes about four
 * times as long for four times the paths; the old quadratic code took sixteen.
 */
export const layerDiffBenchmark: Benchmark = {
  name: 'layerdiff',
  title: `layer diff: removing a subtree of ${SMALL} and of ${LARGE} paths`,
  async run(_workDir, log) {
    const small = stackWith(SMALL);
    const large = stackWith(LARGE);
    const timings = await timeInterleaved(
      [
        { label: `${SMALL} paths`, run: () => removeEveryWay(small) },
        { label: `${LARGE} paths`, run: () => removeEveryWay(large) },
      ],
      { warmups: 1, repeats: 5 },
    );
    for (const [label, t] of timings) log(`${label.padEnd(14)} median ${formatMs(t.medianMs)}, best ${formatMs(t.bestMs)}`);
    const smallTiming = timings.get(`${SMALL} paths`)!;
    const largeTiming = timings.get(`${LARGE} paths`)!;
    return {
      name: this.name,
      timings: Object.fromEntries(timings),
      checks: [checkRatio(`time(${LARGE}) / time(${SMALL})`, largeTiming, smallTiming, TARGET_GROWTH)],
      notes: [`per removed path at ${LARGE}: ${((largeTiming.medianMs / LARGE / 3) * 1000).toFixed(2)} µs (three layers each)`],
    };
  },
};
