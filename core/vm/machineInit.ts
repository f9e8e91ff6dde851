import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GuestManifest } from '../../guest/buildGuest.js';
import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { VERSION } from '../version.js';
import { ensureDataDisk } from './dataDisk.js';
import { guestImageRef } from './guestImageFormat.js';
import { packedGuestLayout } from './guestImagePack.js';
import { unpackGuestImage } from './guestImageUnpack.js';
import { checkSettings, isInitialized, type MachineConfig, type MachineSettings, writeMachineConfig } from './machineConfig.js';
import { MachineError } from './machineError.js';
import { agentMismatch } from './machineLifecycle.js';
import { type MachinePaths, prepareMachineDirs } from './machinePaths.js';

/**
 * The project checkout this code runs from, when it has the guest build (guest/build.ts and tsx
 * to run it): from source (core/vm/) or from the CLI bundle (dist/). A packaged app has none and
 * takes its guest image from a registry or what it ships (`--image`).
 */
function guestBuildCheckout(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'guest', 'build.ts')) && existsSync(join(dir, 'node_modules', 'tsx'))) return dir;
  }
  return undefined;
}

/**
 * Runs the guest build (`guest/build.ts --json`), which returns at once when its cache already
 * holds the artifacts for these inputs. A child process: the build reads its own source files,
 * which a bundle does not carry.
 */
function buildGuestImage(log: (line: string) => void): Promise<{ outDir: string; manifest: GuestManifest }> {
  const checkout = guestBuildCheckout();
  if (!checkout)
    throw new StevedoreError(
      'NOT_FOUND',
      'This installation cannot build the guest image (no guest/build.ts): give one with `stevedore machine init --image REF`.',
    );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('guest', 'build.ts'), '--json'], {
      cwd: checkout,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let lastLine = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      pending += s;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        lastLine = pending.slice(0, nl);
        log(lastLine);
        pending = pending.slice(nl + 1);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new StevedoreError('INTERNAL', `Building the guest image failed: ${(pending || lastLine).trim() || `exit ${code}`}`),
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout) as { outDir: string; manifest: GuestManifest });
      } catch {
        reject(new StevedoreError('INTERNAL', 'The guest build printed no result.'));
      }
    });
  });
}

export interface InitOptions {
  /** A guest image in the store, or to pull; default: build (or find built) and store it. */
  image?: string | undefined;
  /** For the pull of `image`: plain http or an unverified certificate. */
  insecure?: boolean | undefined;
  log?: (line: string) => void;
}

export interface InitReport {
  config: MachineConfig;
  manifest: GuestManifest;
  /** Whether the image came from the guest build (else the store or a registry). */
  built: boolean;
  pulled: boolean;
}

/**
 * `machine init`: the guest image into the store (or found there, or pulled), its files taken
 * back out of the image into the machine's directory and verified, the data disk made, and last
 * the machine's config, whose presence says the machine exists. A failure leaves no machine.
 */
export async function initMachine(
  engine: Engine,
  paths: MachinePaths,
  settings: MachineSettings,
  options: InitOptions = {},
): Promise<InitReport> {
  const log = options.log ?? (() => {});
  if (isInitialized(paths))
    throw new MachineError(
      'exists',
      `The machine "${paths.name}" is already initialized: remove it first with \`stevedore machine rm\` to make it again.`,
    );
  checkSettings(settings);

  let ref = options.image;
  let built = false;
  let pulled = false;
  if (ref === undefined) {
    const build = await buildGuestImage(log);
    await engine.loadImages(await packedGuestLayout(build.outDir, build.manifest));
    ref = guestImageRef(build.manifest.agentVersion);
    built = true;
  }
  let image: ReturnType<Engine['resolveImage']>;
  try {
    image = engine.resolveImage(ref);
  } catch (err) {
    if (!(err instanceof StevedoreError) || err.code !== 'IMAGE_NOT_FOUND' || built) throw err;
    log(`pulling ${ref}`);
    await engine.pullImage({ ref, insecure: options.insecure });
    pulled = true;
    image = engine.resolveImage(ref);
  }

  // What a failed init leaves is not a machine: its directory goes (it had no config, see above).
  rmSync(paths.dir, { recursive: true, force: true });
  try {
    prepareMachineDirs(paths);
    const manifest = await unpackGuestImage(engine.store, image, ref, paths);
    if (manifest.agentVersion !== VERSION) throw agentMismatch(paths, manifest.agentVersion);
    ensureDataDisk(paths.dataDisk, settings.diskGiB * 1024 ** 3);
    const config: MachineConfig = {
      name: paths.name,
      ...settings,
      image: ref,
      imageDigest: image.manifestDescriptor.digest,
      agentVersion: manifest.agentVersion,
      created: new Date().toISOString(),
    };
    writeMachineConfig(paths, config);
    return { config, manifest, built, pulled };
  } catch (err) {
    rmSync(paths.dir, { recursive: true, force: true });
    throw err;
  }
}
