import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Args, Method } from '../core/api/contract.js';
import { connectToEngine } from '../core/client/engineConnection.js';
import { loadImages } from '../e2e/support/images.js';
import { storeOf } from '../e2e/support/storeGraph.js';
import { cliPath } from '../testkit/cli.js';
import { startDaemon } from '../testkit/daemon.js';
import { type LayerEntry, makeLayer } from '../testkit/layers.js';
import { writeLayout } from '../testkit/ociLayout.js';
import { layoutWithImages, randomLayers } from '../testkit/registry/fixtures.js';
import { startRegistry } from '../testkit/registry/registry.js';
import { type Benchmark, checkTarget, reportInfo, type TargetCheck } from './benchmark.js';
import { formatMiB, peakRssKiB, statusKiB } from './support/peakMemory.js';
import { median, runProgram } from './timing.js';

/**
 * issue 19: memory stays flat as the work grows. Each figure is measured at two sizes, and the
 * larger may take at most this much more than the smaller: an engine holding every image, or a
 * transfer holding whole blobs, would grow with the work instead.
 */
const TARGET_IMAGES = 1.5; // 5× the images
const TARGET_PULL = 1.25; // 4× the bytes
const TARGET_UNPACK = 1.25; // 2× the files
const IMAGES = [1000, 5000] as const;
const PULL_MIB = [48, 192] as const;
const UNPACK_DIRS = [100, 200] as const; // of 200 files each: 20,000 and 40,000 files
const REPEATS = 3;
const TAG = 'bench';

/** `dirs` directories of 200 small files, as unpack.bench.ts's 20,000-file layer. */
async function manySmallFiles(dirs: number): Promise<Buffer> {
  const entries: LayerEntry[] = [];
  for (let d = 0; d < dirs; d++) {
    entries.push({ path: `usr/share/d${d}/`, type: 'directory' });
    for (let f = 0; f < 200; f++) entries.push({ path: `usr/share/d${d}/f${f}.txt`, content: `file ${d}/${f}\n`.repeat(16) });
  }
  return makeLayer(entries);
}

function growth(metric: string, small: number, large: number, limit: number, what: string): TargetCheck {
  return checkTarget(metric, large / small, 'ratio', '<=', limit, `${formatMiB(large)} vs ${formatMiB(small)} (${what})`);
}

/** One call to the engine on `socketPath`, as the app makes it (one connection each: the app's is long-lived, but its own memory is not the engine's). */
async function invoke<M extends Method>(socketPath: string, method: M, args: Args<M>): Promise<void> {
  const connection = await connectToEngine(socketPath);
  if (!connection) throw new Error(`the engine on ${socketPath} did not answer`);
  try {
    const answer = await connection.invoke(method, args);
    if (!answer.ok) throw new Error(`${method} failed: ${answer.error.message}`);
  } finally {
    connection.close();
  }
}

/**
 * The engine's resident memory, idle, over a store of `count` images: `stevedore daemon` (the
 * engine the app starts) once it has answered the app's first call (images.list). Measured from
 * outside (VmRSS), as a person's task manager shows it.
 */
async function idleEngine(root: string): Promise<number> {
  const daemon = await startDaemon(root);
  try {
    await invoke(daemon.socketPath, 'images.list', {});
    return statusKiB(daemon.child.pid!, 'VmRSS');
  } finally {
    await daemon.stop();
  }
}

/** The peak of a pull of `ref` in a new engine (`stevedore daemon`), as the app pulls: its VmHWM since it started. */
async function enginePullPeak(root: string, ref: string): Promise<number> {
  const daemon = await startDaemon(root);
  try {
    await invoke(daemon.socketPath, 'images.pull', { ref });
    return statusKiB(daemon.child.pid!, 'VmHWM');
  } finally {
    await daemon.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The memory figures issue 19 asks for, each at two sizes: the engine idle over 1,000 and 5,000
 * images; the peak during a pull of 4 × 48 MiB and of 4 × 192 MiB, in the engine (`stevedore
 * daemon`, as the app pulls) and in `stevedore pull` standalone; the peak of `stevedore unpack` of
 * 20,000 and 40,000 files. The peers' peaks and the CLI's own start-up are printed beside them,
 * for information.
 */
export const memoryBenchmark: Benchmark = {
  name: 'memory',
  title: 'memory: the engine idle over 1,000 and 5,000 images; peaks of a pull and an unpack as they grow',
  async run(workDir, log) {
    const checks: TargetCheck[] = [];
    const notes: string[] = [];
    const cli = (root: string, args: string[]) => runProgram(process.execPath, [cliPath, '--root', root, ...args]);
    const startUp = median(Array.from({ length: REPEATS }, () => peakRssKiB(process.execPath, [cliPath, '--version'])));
    reportInfo([`the CLI's start-up alone (stevedore --version): ${formatMiB(startUp)} peak`], log, notes);

    // 1. The engine idle.
    const idle = new Map<number, number>();
    for (const count of IMAGES) {
      const root = join(workDir, `images-${count}`);
      await loadImages(root, join(workDir, `layouts-${count}`), await storeOf(count));
      const runs: number[] = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await idleEngine(root));
      idle.set(count, median(runs));
      log(`engine idle, ${count.toLocaleString('en-US')} images: ${formatMiB(idle.get(count)!)} after the app's first listing`);
      rmSync(root, { recursive: true, force: true });
    }
    const [fewer, more] = IMAGES;
    checks.push(
      growth(
        `engine idle, ${more.toLocaleString('en-US')} / ${fewer.toLocaleString('en-US')} images`,
        idle.get(fewer)!,
        idle.get(more)!,
        TARGET_IMAGES,
        `stevedore daemon's VmRSS after images.list; median of ${REPEATS}`,
      ),
    );

    // 2. A pull's peak, in the engine the app pulls through.
    const policy = join(workDir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const skopeoCopy = (tlsFlag: string, from: string, to: string) => ['--policy', policy, 'copy', '--quiet', tlsFlag, from, to];
    const registry = await startRegistry();
    const pulls = new Map<number, { engine: number; cli: number }>();
    try {
      for (const mib of PULL_MIB) {
        const layout = join(workDir, `pull-${mib}`);
        await layoutWithImages(layout, [{ refName: TAG, layers: await randomLayers([0, 1, 2, 3].map(() => mib << 20)) }]);
        const ref = `${registry.host}/bench/pull-${mib}:${TAG}`;
        runProgram('skopeo', skopeoCopy('--dest-tls-verify=false', `oci:${layout}:${TAG}`, `docker://${ref}`));
        rmSync(layout, { recursive: true, force: true });
        const engine: number[] = [];
        const standalone: number[] = [];
        for (let i = 0; i < REPEATS; i++) {
          engine.push(await enginePullPeak(join(workDir, `pull-root-${mib}`), ref));
          const root = join(workDir, `pull-standalone-${mib}`);
          standalone.push(
            peakRssKiB(process.execPath, [cliPath, '--root', root, 'pull', ref], { ...process.env, STEVEDORE_NO_DAEMON: '1' }),
          );
          rmSync(root, { recursive: true, force: true });
        }
        pulls.set(mib, { engine: median(engine), cli: median(standalone) });
        const skopeoDest = join(workDir, `skopeo-${mib}`);
        const skopeoPeak = peakRssKiB(
          'skopeo',
          skopeoCopy('--src-tls-verify=false', `docker://${ref}`, `oci:${skopeoDest}:${TAG}`),
        );
        rmSync(skopeoDest, { recursive: true, force: true });
        log(
          `pull 4 × ${mib} MiB, peak: the engine (stevedore daemon) ${formatMiB(pulls.get(mib)!.engine)}, stevedore pull ${formatMiB(pulls.get(mib)!.cli)}`,
        );
        reportInfo([`pull 4 × ${mib} MiB, peak: skopeo copy ${formatMiB(skopeoPeak)}`], log, notes);
      }
    } finally {
      await registry.stop();
    }
    const [smallPull, largePull] = PULL_MIB.map((mib) => pulls.get(mib)!);
    const pullMetric = `4 × ${PULL_MIB[1]} / 4 × ${PULL_MIB[0]} MiB`;
    checks.push(
      growth(
        `pull peak in the engine, ${pullMetric}`,
        smallPull!.engine,
        largePull!.engine,
        TARGET_PULL,
        `stevedore daemon's VmHWM; median of ${REPEATS}`,
      ),
      growth(
        `pull peak, stevedore pull, ${pullMetric}`,
        smallPull!.cli,
        largePull!.cli,
        TARGET_PULL,
        `max RSS; median of ${REPEATS}`,
      ),
    );

    // 3. An unpack's peak (unpack runs in the CLI's own process).
    const unpacks = new Map<number, number>();
    for (const dirs of UNPACK_DIRS) {
      const files = dirs * 200;
      const layout = join(workDir, `unpack-${files}`);
      writeLayout(layout, [{ refName: TAG, layers: [await manySmallFiles(dirs)], gzip: true }]);
      const root = join(workDir, `unpack-root-${files}`);
      cli(root, ['load', '-i', layout, '--name', 'bench/unpack']);
      const peaks: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        rmSync(join(root, 'snapshots'), { recursive: true, force: true });
        const out = join(workDir, `unpacked-${files}-${i}`);
        peaks.push(peakRssKiB(process.execPath, [cliPath, '--root', root, 'unpack', `bench/unpack:${TAG}`, out]));
      }
      unpacks.set(files, median(peaks));
      const umociOut = join(workDir, `umoci-${files}`);
      const umoci = peakRssKiB('umoci', ['unpack', '--image', `${layout}:${TAG}`, umociOut]);
      log(`unpack of ${files.toLocaleString('en-US')} files: peak ${formatMiB(unpacks.get(files)!)}`);
      reportInfo([`unpack of ${files.toLocaleString('en-US')} files, peak: umoci unpack ${formatMiB(umoci)}`], log, notes);
    }
    const [smallUnpack, largeUnpack] = UNPACK_DIRS.map((d) => d * 200);
    checks.push(
      growth(
        `unpack peak, ${largeUnpack!.toLocaleString('en-US')} / ${smallUnpack!.toLocaleString('en-US')} files`,
        unpacks.get(smallUnpack!)!,
        unpacks.get(largeUnpack!)!,
        TARGET_UNPACK,
        `stevedore unpack's max RSS; median of ${REPEATS}`,
      ),
    );
    notes.push(
      'peaks of finished programs are their max RSS (GNU time); the engine’s is VmHWM of a stevedore daemon started for that pull alone; idle is VmRSS',
    );
    return { name: this.name, timings: {}, checks, notes };
  },
};
