import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from '../testkit/cli.js';
import { randomLayer } from '../testkit/layers.js';
import { writeLayout } from '../testkit/ociLayout.js';
import { type Benchmark, checkRatio, formatMs, throughput } from './benchmark.js';
import { runProgram, timeInterleaved } from './timing.js';

const LAYER_COUNT = 4;
const LAYER_BYTES = 48 * 1024 * 1024;
const TAG = 'bench';
const TARGET_RATIO = 1.0;
const REPEATS = 7;

/** skopeo refuses to copy without a trust policy; the system's may be stricter than a local copy needs. */
const ACCEPT_ANYTHING_POLICY = { default: [{ type: 'insecureAcceptAnything' }] };

function expectBlobs(dir: string, digests: string[], sizes: number[], who: string): void {
  digests.forEach((digest, i) => {
    const size = statSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), { throwIfNoEntry: false })?.size;
    if (size !== sizes[i]) throw new Error(`${who} did not store layer ${i + 1} (${digest}): size ${size}, want ${sizes[i]}`);
  });
}

/** `stevedore load` of an OCI layout vs `skopeo copy` between OCI layouts: both hash, write, fsync. */
export const loadBenchmark: Benchmark = {
  name: 'load',
  title: `load: ${LAYER_COUNT} × ${LAYER_BYTES >> 20} MiB uncompressed layers from an OCI layout`,
  async run(workDir, log) {
    const layoutDir = join(workDir, 'layout');
    const layers = await Promise.all(Array.from({ length: LAYER_COUNT }, () => randomLayer(LAYER_BYTES)));
    const sizes = layers.map((l) => l.length);
    const [written] = writeLayout(layoutDir, [{ refName: TAG, layers }]);
    const layerDigests = written!.layerDigests;
    const totalBytes = sizes.reduce((a, b) => a + b, 0);
    log(`wrote the source layout (${(totalBytes / 1e6).toFixed(0)} MB)`);

    const policy = join(workDir, 'policy.json');
    writeFileSync(policy, JSON.stringify(ACCEPT_ANYTHING_POLICY));
    const stevedoreRoot = join(workDir, 'stevedore-root');
    const skopeoDest = join(workDir, 'skopeo-dest');

    const timings = await timeInterleaved(
      [
        {
          label: 'stevedore load',
          prepare: () => rmSync(stevedoreRoot, { recursive: true, force: true }),
          run: () => {
            runProgram(process.execPath, [cliPath, '--root', stevedoreRoot, 'load', '-i', layoutDir]);
          },
          cleanUp: () => {
            expectBlobs(join(stevedoreRoot, 'oci'), layerDigests, sizes, 'stevedore load');
            rmSync(stevedoreRoot, { recursive: true, force: true });
          },
        },
        {
          label: 'skopeo copy',
          prepare: () => rmSync(skopeoDest, { recursive: true, force: true }),
          run: () => {
            runProgram('skopeo', [
              '--policy',
              policy,
              'copy',
              '--quiet',
              // Without it skopeo gzips every uncompressed layer for an oci: destination: other
              // work, other digests. With it, both tools do the same: read, hash, write, fsync.
              '--dest-oci-accept-uncompressed-layers',
              `oci:${layoutDir}:${TAG}`,
              `oci:${skopeoDest}:${TAG}`,
            ]);
          },
          cleanUp: () => {
            expectBlobs(skopeoDest, layerDigests, sizes, 'skopeo copy');
            rmSync(skopeoDest, { recursive: true, force: true });
          },
        },
      ],
      { warmups: 1, repeats: REPEATS },
    );
    const stevedore = timings.get('stevedore load')!;
    const skopeo = timings.get('skopeo copy')!;
    log(`stevedore load ${formatMs(stevedore.medianMs)} (${throughput(totalBytes, stevedore.medianMs)})`);
    log(`skopeo copy    ${formatMs(skopeo.medianMs)} (${throughput(totalBytes, skopeo.medianMs)})`);
    return {
      name: this.name,
      timings: Object.fromEntries(timings),
      checks: [checkRatio('load time, stevedore / skopeo', stevedore, skopeo, TARGET_RATIO)],
      notes: [
        `${LAYER_COUNT} layers, ${totalBytes} bytes in all; fresh destination each run; medians of ${REPEATS} after 1 warm-up`,
        `stevedore ${throughput(totalBytes, stevedore.medianMs)}, skopeo ${throughput(totalBytes, skopeo.medianMs)}`,
      ],
    };
  },
};
