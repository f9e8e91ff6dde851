import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliPath, projectRoot } from '../testkit/cli.js';
import { makeLayer } from '../testkit/layers.js';
import { type TestImage, writeLayout } from '../testkit/ociLayout.js';
import { type Benchmark, checkRatio, checkTarget, formatMs } from './benchmark.js';
import { runProgram, type Timing, timeInterleaved } from './timing.js';

const SMALL_STORE = 2000;
const LARGE_STORE = 20_000;
/** issue 19: under 200 ms at 2,000 images, and ten times the images at most 1.5 times the time. */
const TARGET_SMALL_MS = 200;
const TARGET_SCALING = 1.5;
const REPEATS = 7;
/**
 * The floor: a plain script, node built-ins only, reading index.json and the facts cache and
 * printing the same rows. Its own time(20,000) / time(2,000) shows how far the scaling target is
 * from what printing 10 MB of JSON from a fresh node process allows.
 */
const MINIMAL_LIST = join(projectRoot, 'bench', 'support', 'minimalImageList.cjs');
const floorLabel = (n: number) => `the floor (${n}): bench/support/minimalImageList.cjs`;

/** Images `from`..`to - 1`, each with one tiny layer of its own and its own tag. */
async function tinyImages(from: number, to: number): Promise<TestImage[]> {
  const images: TestImage[] = [];
  for (let i = from; i < to; i++) {
    const layer = await makeLayer([{ path: `etc/image-${i}`, content: `image ${i}\n` }]);
    images.push({ refName: `v${i}`, layers: [layer] });
  }
  return images;
}

function stevedoreCli(root: string, args: string[]): string {
  return runProgram(process.execPath, [cliPath, '--root', root, ...args]);
}

function timedLoad(root: string, layout: string): number {
  const start = performance.now();
  stevedoreCli(root, ['load', '-i', layout]);
  return performance.now() - start;
}

function listImages(root: string, expected: number): void {
  const count = (JSON.parse(stevedoreCli(root, ['images', '--json'])) as unknown[]).length;
  if (count !== expected) throw new Error(`images --json listed ${count} images in ${root}, want ${expected}`);
}

/**
 * The whole `stevedore images --json` process over a store of 2,000 images, then 20,000. Each
 * store is listed once before the clock (as `listImages` checks the count), so the timed runs
 * find the image-facts cache written, as every listing after the first does.
 */
export const imagesListBenchmark: Benchmark = {
  name: 'images',
  title: `images --json: whole process over ${SMALL_STORE} and ${LARGE_STORE} images`,
  async run(workDir, log) {
    const firstLayout = join(workDir, 'layout-first');
    const secondLayout = join(workDir, 'layout-second');
    writeLayout(firstLayout, await tinyImages(0, SMALL_STORE));
    writeLayout(secondLayout, await tinyImages(SMALL_STORE, LARGE_STORE));

    const emptyRoot = join(workDir, 'root-empty');
    const smallRoot = join(workDir, `root-${SMALL_STORE}`);
    const largeRoot = join(workDir, `root-${LARGE_STORE}`);
    stevedoreCli(emptyRoot, ['images', '--json']);
    const firstLoadMs = timedLoad(smallRoot, firstLayout);
    log(`loaded ${SMALL_STORE} images into an empty store in ${formatMs(firstLoadMs)}`);
    cpSync(smallRoot, largeRoot, { recursive: true });
    const secondLoadMs = timedLoad(largeRoot, secondLayout);
    log(`loaded ${LARGE_STORE - SMALL_STORE} more into a store of ${SMALL_STORE} in ${formatMs(secondLoadMs)}`);
    listImages(smallRoot, SMALL_STORE);
    listImages(largeRoot, LARGE_STORE);

    const timings = await timeInterleaved(
      [
        { label: 'node -e 0', run: () => void runProgram(process.execPath, ['-e', '0']) },
        { label: 'stevedore --version', run: () => void stevedoreCli(emptyRoot, ['--version']) },
        { label: 'images --json (empty store)', run: () => void stevedoreCli(emptyRoot, ['images', '--json']) },
        { label: `images --json (${SMALL_STORE})`, run: () => void stevedoreCli(smallRoot, ['images', '--json']) },
        { label: `images --json (${LARGE_STORE})`, run: () => void stevedoreCli(largeRoot, ['images', '--json']) },
        { label: floorLabel(SMALL_STORE), run: () => void runProgram(process.execPath, [MINIMAL_LIST, smallRoot]) },
        { label: floorLabel(LARGE_STORE), run: () => void runProgram(process.execPath, [MINIMAL_LIST, largeRoot]) },
      ],
      { warmups: 1, repeats: REPEATS },
    );
    for (const [label, t] of timings) log(`${label.padEnd(28)} median ${formatMs(t.medianMs)}, best ${formatMs(t.bestMs)}`);
    const floorSmall = timings.get(floorLabel(SMALL_STORE))!;
    const floorLarge = timings.get(floorLabel(LARGE_STORE))!;
    const ratio = (a: Timing, b: Timing) =>
      `${(a.medianMs / b.medianMs).toFixed(2)} (${formatMs(a.medianMs)} vs ${formatMs(b.medianMs)} medians; best runs ${(a.bestMs / b.bestMs).toFixed(2)})`;
    const info = [
      `the floor, time(${LARGE_STORE}) / time(${SMALL_STORE}): ${ratio(floorLarge, floorSmall)}: a fresh node that only reads the two files and prints the same JSON scales this way, so a listing cannot do better than it`,
      `stevedore / the floor at ${SMALL_STORE}: ${ratio(timings.get(`images --json (${SMALL_STORE})`)!, floorSmall)}; at ${LARGE_STORE}: ${ratio(timings.get(`images --json (${LARGE_STORE})`)!, floorLarge)}`,
    ];
    for (const line of info) log(`info (no target): ${line}`);

    const smallTiming = timings.get(`images --json (${SMALL_STORE})`)!;
    const largeTiming = timings.get(`images --json (${LARGE_STORE})`)!;
    const small = smallTiming.medianMs;
    const large = largeTiming.medianMs;
    const empty = timings.get('images --json (empty store)')!.medianMs;
    return {
      name: this.name,
      timings: Object.fromEntries(timings),
      checks: [
        checkTarget(
          `images --json, ${SMALL_STORE} images`,
          small,
          'ms',
          '<',
          TARGET_SMALL_MS,
          `median of ${REPEATS}; best ${formatMs(smallTiming.bestMs)}`,
        ),
        checkRatio(`time(${LARGE_STORE}) / time(${SMALL_STORE})`, largeTiming, smallTiming, TARGET_SCALING),
      ],
      notes: [
        `node startup ${formatMs(timings.get('node -e 0')!.medianMs)}, CLI startup (--version) ${formatMs(timings.get('stevedore --version')!.medianMs)}, empty store ${formatMs(empty)}`,
        `per image, above the empty store: ${(((small - empty) / SMALL_STORE) * 1000).toFixed(0)} µs at ${SMALL_STORE}, ${(((large - empty) / LARGE_STORE) * 1000).toFixed(0)} µs at ${LARGE_STORE}`,
        `setup: load of ${SMALL_STORE} images ${formatMs(firstLoadMs)}; ${LARGE_STORE - SMALL_STORE} more into ${SMALL_STORE} ${formatMs(secondLoadMs)}`,
        ...info.map((line) => `info (no target): ${line}`),
      ],
    };
  },
};
