import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NetworkMode } from '../../api/containers.schema.js';
import { StevedoreError } from '../../errors.js';
import type { ChangeSet } from '../../layers/createLayer.js';
import { mountOverlay } from '../../system/overlayMount.js';
import { unmountRootfs } from '../containerRootfs.js';
import { attachNetwork, detachNetwork } from '../network/containerNetwork.js';
import { makePrivateDir, writePrivateFile } from '../privateFile.js';
import { etcFiles, prepareWorkingDir } from '../rootfsSetup.js';
import { ociRuntime, runcArgs, tryRunc } from '../runc.js';
import { buildRuntimeSpec, type Mount } from '../runtimeSpec.js';
import { resolveUser } from '../userLookup.js';
import { upperChanges } from './upperChanges.js';

export interface StepProcess {
  args: string[];
  env: string[];
  workingDir: string;
  user: string;
  network: NetworkMode;
  /** RUN --mount: caches, tmpfs, binds; their targets are mount points, not the step's work. */
  mounts?: Mount[];
}

export interface StepResult {
  /** The upper directory: the step's files, to be made into a layer. */
  upper: string;
  changes: ChangeSet;
  /** Unmounts and removes everything the step made; call once the layer is stored. */
  cleanup: () => Promise<void>;
}

/** Mount points the runtime makes in the rootfs: not the step's own work when they were not there before. */
const MOUNT_STUBS = ['proc', 'sys', 'dev', 'etc/hosts', 'etc/hostname', 'etc/resolv.conf'];

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function isEmpty(path: string): boolean {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (!info) return false;
  return info.isDirectory() ? readdirSync(path).length === 0 : info.isFile() && info.size === 0;
}

/**
 * A RUN step, as docker build runs one: a throwaway container over the snapshot of the layers so
 * far (overlayfs, so that the upper directory is exactly what the step changed), the image's
 * process settings, output streamed to `onOutput`. A non-zero exit is an error in docker's words.
 */
export async function runStepContainer(
  buildDir: string,
  lower: string | undefined,
  step: StepProcess,
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  /** Aborting kills the step's container; the step then fails as cancelled and leaves nothing. */
  signal?: AbortSignal,
): Promise<StepResult> {
  const id = `build-${randomBytes(12).toString('hex')}`;
  const dir = join(buildDir, id);
  const [upper, work, rootfs, empty] = ['upper', 'work', 'rootfs', 'empty'].map((d) => join(dir, d)) as [
    string,
    string,
    string,
    string,
  ];
  makePrivateDir(dir);
  for (const d of [upper, work, rootfs, empty]) mkdirSync(d, { recursive: true });
  let network: Awaited<ReturnType<typeof attachNetwork>> | undefined;
  const cleanup = async () => {
    await tryRunc('delete', '--force', id);
    await unmountRootfs(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const refused = await mountOverlay(`lowerdir=${lower ?? empty},upperdir=${upper},workdir=${work}`, rootfs, work);
    if (refused !== null) throw new StevedoreError('INTERNAL', `mounting the build step’s filesystem failed: ${refused}`);
    const extra = step.mounts ?? [];
    const stubs = [...MOUNT_STUBS, ...extra.map((m) => m.destination.replace(/^\/+/, ''))].filter(
      (p) => !exists(join(rootfs, p)),
    );
    const cwd = prepareWorkingDir(rootfs, step.workingDir);
    network = await attachNetwork({ containerId: id, mode: step.network, ports: [], hostname: 'buildkitsandbox' });
    const mounts = etcFiles(dir, {
      hostname: 'buildkitsandbox',
      address: null,
      resolvConf: network.resolvConf,
      readOnly: true,
    });
    const spec = buildRuntimeSpec({
      rootfs,
      args: step.args,
      env: step.env,
      cwd,
      user: resolveUser(rootfs, step.user),
      hostname: 'buildkitsandbox',
      terminal: false,
      mounts: [...mounts, ...extra],
      network: { mode: step.network, netnsPath: network.netnsPath },
    });
    // The spec holds the step's env, ARG values among them: the store owner's alone.
    writePrivateFile(join(dir, 'config.json'), JSON.stringify(spec));
    if (signal?.aborted) throw new StevedoreError('CANCELLED', 'the build was cancelled');
    const kill = () => void tryRunc('kill', id, 'KILL');
    signal?.addEventListener('abort', kill, { once: true });
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(ociRuntime(), runcArgs('run', '--bundle', dir, id), { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.setEncoding('utf8').on('data', (text: string) => onOutput('stdout', text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => onOutput('stderr', text));
      child.on('error', (err) => reject(new StevedoreError('INTERNAL', `cannot start runc: ${err.message}`)));
      child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 137 : 125)));
    }).finally(() => signal?.removeEventListener('abort', kill));
    if (signal?.aborted) throw new StevedoreError('CANCELLED', 'the build was cancelled');
    if (code !== 0) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `process "${step.args.join(' ')}" did not complete successfully: exit code: ${code}`,
      );
    }
    const changes = upperChanges(upper, lower, rootfs);
    await unmountRootfs(dir);
    // What the runtime made to mount on (and the step left empty) is not the step's work.
    for (const stub of stubs) {
      if (!exists(join(upper, stub)) || !isEmpty(join(upper, stub))) continue;
      const path = join(upper, stub);
      if (lstatSync(path).isDirectory()) rmdirSync(path);
      else rmSync(path);
      changes.changed = changes.changed.filter((p) => p !== stub);
      // Parents the runtime made for it go too, while they are empty and new.
      for (let parent = dirname(stub); parent !== '.'; parent = dirname(parent)) {
        if (exists(join(lower ?? empty, parent)) || !isEmpty(join(upper, parent))) break;
        rmdirSync(join(upper, parent));
        changes.changed = changes.changed.filter((p) => p !== parent);
      }
    }
    return { upper, changes, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  } finally {
    if (network) await detachNetwork(network);
  }
}
