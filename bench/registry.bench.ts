import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from '../testkit/cli.js';
import { makeLayer } from '../testkit/layers.js';
import { layoutWithImages, randomLayers } from '../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry.js';
import { type Benchmark, checkRatio, formatMs, type TargetCheck } from './benchmark.js';
import { withChildCpu } from './support/childCpu.js';
import { runProgram, type Timing, timeInterleaved, timingOf } from './timing.js';

const TARGET_RATIO = 1.0;
const REPEATS = 5;
const TAG = 'bench';
const ACCEPT_ANYTHING_POLICY = { default: [{ type: 'insecureAcceptAnything' }] };

/**
 * Pull and push over a loopback docker-registry (distribution 2.8), stevedore vs skopeo on the
 * same image. Every push goes to a registry started afresh, so neither tool finds blobs already
 * there (stevedore would mount them); every pull goes into an empty destination.
 */
export const registryBenchmark: Benchmark = {
  name: 'registry',
  title: 'registry: pull and push of 4 × 48 MiB layers, pull of 40 small layers, vs skopeo',
  async run(workDir, log) {
    const policy = join(workDir, 'policy.json');
    writeFileSync(policy, JSON.stringify(ACCEPT_ANYTHING_POLICY));
    const skopeo = (args: string[]) => runProgram('skopeo', ['--policy', policy, ...args]);
    const stevedore = (root: string, args: string[]) => runProgram(process.execPath, [cliPath, '--root', root, ...args]);

    const bigLayout = join(workDir, 'big');
    await layoutWithImages(bigLayout, [{ refName: TAG, layers: await randomLayers([48, 48, 48, 48].map((m) => m << 20)) }]);
    const smallLayout = join(workDir, 'small');
    const small = await Promise.all(
      Array.from({ length: 40 }, (_, i) => makeLayer([{ path: `layer${i}/data`, content: `${i}`.repeat(8000) }])),
    );
    await layoutWithImages(smallLayout, [{ refName: TAG, layers: small }]);
    const source = join(workDir, 'source-root');
    stevedore(source, ['load', '-i', bigLayout, '--name', 'bench/big']);

    let registry: RunningRegistry = await startRegistry();
    const freshRegistry = async () => {
      await registry.stop();
      registry = await startRegistry();
    };
    const checks: TargetCheck[] = [];
    const timings: Record<string, Timing> = {};
    const notes: string[] = [];
    try {
      const push = await timeInterleaved(
        [
          {
            label: 'stevedore push',
            prepare: freshRegistry,
            run: () => void stevedore(source, ['push', `bench/big:${TAG}`, `${registry.host}/bench/big:${TAG}`]),
          },
          {
            label: 'skopeo copy oci: docker://',
            prepare: freshRegistry,
            run: () =>
              void skopeo([
                'copy',
                '--quiet',
                '--dest-tls-verify=false',
                `oci:${bigLayout}:${TAG}`,
                `docker://${registry.host}/bench/big:${TAG}`,
              ]),
          },
        ],
        { warmups: 1, repeats: REPEATS },
      );
      checks.push(
        checkRatio(
          'push 4 × 48 MiB, stevedore / skopeo',
          push.get('stevedore push')!,
          push.get('skopeo copy oci: docker://')!,
          TARGET_RATIO,
        ),
      );

      await freshRegistry();
      skopeo([
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${bigLayout}:${TAG}`,
        `docker://${registry.host}/bench/big:${TAG}`,
      ]);
      skopeo([
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${smallLayout}:${TAG}`,
        `docker://${registry.host}/bench/small:${TAG}`,
      ]);
      for (const [name, label] of [
        ['big', 'pull 4 × 48 MiB'],
        ['small', 'pull of 40 small layers'],
      ] as const) {
        const root = join(workDir, `pull-root-${name}`);
        const dest = join(workDir, `pull-dest-${name}`);
        const cpu = new Map<string, number[]>();
        const pull = await timeInterleaved(
          [
            {
              label: 'stevedore pull',
              prepare: () => rmSync(root, { recursive: true, force: true }),
              run: () => void stevedore(root, ['pull', `${registry.host}/bench/${name}:${TAG}`]),
            },
            {
              label: 'skopeo copy docker:// oci:',
              prepare: () => rmSync(dest, { recursive: true, force: true }),
              run: () =>
                void skopeo([
                  'copy',
                  '--quiet',
                  '--src-tls-verify=false',
                  `docker://${registry.host}/bench/${name}:${TAG}`,
                  `oci:${dest}:${TAG}`,
                ]),
            },
          ].map((c) => withChildCpu(c, cpu)),
          { warmups: 1, repeats: REPEATS },
        );
        // CPU beside wall time: on a busy machine the wall times move with the other load; the
        // CPU each tool needs, and how much of it runs at once, are what explain the ratio.
        const cpuOf = (l: string) => formatMs(timingOf(cpu.get(l)!.slice(1)).medianMs);
        notes.push(
          `${label} CPU (user + system, median): stevedore ${cpuOf('stevedore pull')}, skopeo ${cpuOf('skopeo copy docker:// oci:')}`,
        );
        const ours = pull.get('stevedore pull')!;
        const theirs = pull.get('skopeo copy docker:// oci:')!;
        log(`${label}: stevedore ${formatMs(ours.medianMs)}, skopeo ${formatMs(theirs.medianMs)}`);
        checks.push(checkRatio(`${label}, stevedore / skopeo`, ours, theirs, TARGET_RATIO));
        for (const [k, v] of pull) timings[`${label}: ${k}`] = v;
      }
      for (const [k, v] of push) timings[`push: ${k}`] = v;
    } finally {
      await registry.stop();
    }
    return {
      name: this.name,
      timings,
      checks,
      notes: ['loopback docker-registry 2.8; layers gzipped as registries hold them; fresh registry for every push', ...notes],
    };
  },
};
