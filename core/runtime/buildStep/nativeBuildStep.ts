import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../../digest/digest.js';
import { createLayerTar } from '../../layers/createLayer.js';
import { storeLayerTar } from '../../layers/storeLayer.js';
import type { Descriptor } from '../../oci/descriptor.js';
import type { SnapshotStore } from '../../snapshots/snapshotStore.js';
import type { Store } from '../../store/store.js';
import type { Mount } from '../runtimeSpec.js';
import type { BuildStepRequest, BuildStepResult } from './buildStepRequest.js';
import { runStepContainer } from './stepContainer.js';
import { makeStepMounts } from './stepMounts.js';

/**
 * A RUN step on this machine (the native runtime's, and so the agent's inside a machine): the
 * snapshot of the layers so far, the step's container over it with its mounts (stepMounts.ts),
 * what it changed stored as a layer.
 */
export async function runNativeBuildStep(
  deps: { store: Store; snapshots: SnapshotStore },
  request: BuildStepRequest,
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
): Promise<BuildStepResult> {
  const lower =
    request.layers.length === 0
      ? undefined
      : await deps.snapshots.prepareLayers(
          request.layers.map((l) => l.descriptor as Descriptor),
          request.layers.map((l) => l.diffId as Digest),
          { lease: request.lease },
        );
  const written: string[] = [];
  const made = await makeStepMounts(request.process.mounts, { storeRoot: deps.store.root, buildDir: request.buildDir });
  try {
    const fileMounts: Mount[] = request.files.map((file) => {
      const source = join(request.buildDir, `script-${randomBytes(6).toString('hex')}`);
      writeFileSync(source, file.content, { mode: file.mode });
      written.push(source);
      return { destination: file.path, type: 'bind', source, options: ['rbind', 'ro'] };
    });
    const result = await runStepContainer(
      request.buildDir,
      lower,
      { ...request.process, mounts: [...fileMounts, ...made.mounts] },
      onOutput,
      request.signal,
    );
    try {
      const tar = createLayerTar(
        result.upper,
        result.changes,
        request.sourceDateEpoch !== undefined ? { sourceDateEpoch: request.sourceDateEpoch } : {},
      );
      return await storeLayerTar(deps.store, request.lease, tar);
    } finally {
      await result.cleanup();
    }
  } finally {
    for (const file of written) rmSync(file, { force: true });
    // What the step wrote to its rw bind mounts goes with the step, and so do its secrets.
    await made.release();
  }
}
