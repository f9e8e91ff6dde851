import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import type { SnapshotStore } from '../snapshots/snapshotStore.js';
import { mountRootfs, unmountRootfs } from './containerRootfs.js';
import { type ProcessOverrides, planProcess } from './imageProcess.js';
import { buildRuntimeSpec, type Mount } from './runtimeSpec.js';
import { resolveUser } from './userLookup.js';

export interface ForegroundRun extends ProcessOverrides {
  hostname?: string;
}

// runc's own words (logfmt, quotes escaped) when the command is not in the image.
const NOT_FOUND = /exec: \\?"([^"\\]*)\\?": (executable file not found in \$PATH|stat [^:]*: no such file or directory)/;

/** /etc/hosts, /etc/hostname and /etc/resolv.conf for the container, bound over the image's. */
function etcFiles(containerDir: string, hostname: string): Mount[] {
  const files: Record<string, string> = {
    hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`,
    hostname: `${hostname}\n`,
    'resolv.conf': 'nameserver 127.0.0.53\n',
  };
  return Object.entries(files).map(([name, content]) => {
    const source = join(containerDir, name);
    writeFileSync(source, content);
    return { destination: `/etc/${name}`, type: 'bind', source, options: ['rbind', 'rprivate'] };
  });
}

/**
 * `stevedore run --rm`: the image's snapshots as overlayfs lower layer, a runtime spec from the
 * image config, runc in the foreground with the terminal's stdio; the container's exit code is
 * returned and everything it left is removed.
 */
export async function runForeground(
  root: string,
  snapshots: SnapshotStore,
  image: ImageRecord,
  request: ForegroundRun,
): Promise<number> {
  const plan = planProcess(image.config, request);
  const lower = await snapshots.prepare(image);
  if (!lower) throw new StevedoreError('INTERNAL', 'the image has no root filesystem');
  const id = randomBytes(16).toString('hex');
  const containerDir = join(root, 'containers', id);
  mkdirSync(containerDir, { recursive: true });
  try {
    const rootfs = mountRootfs(containerDir, lower);
    // image-spec: WorkingDir is created when missing, resolved inside the rootfs (never through a link out).
    const cwd = resolveInRoot(rootfs, plan.cwd, true);
    mkdirSync(cwd, { recursive: true });
    if (!statSync(cwd).isDirectory())
      throw new StevedoreError('INVALID_ARGUMENT', `the working directory ${plan.cwd} is not a directory`);
    const hostname = request.hostname ?? id.slice(0, 12);
    const spec = buildRuntimeSpec({
      rootfs,
      args: plan.args,
      env: [...plan.env, `HOSTNAME=${hostname}`],
      cwd: plan.cwd,
      user: resolveUser(rootfs, plan.user),
      hostname,
      terminal: false,
      mounts: etcFiles(containerDir, hostname),
    });
    writeFileSync(join(containerDir, 'config.json'), JSON.stringify(spec, null, 2));
    return await new Promise<number>((resolve, reject) => {
      const child = spawn('runc', ['run', '--bundle', containerDir, id], { stdio: ['inherit', 'inherit', 'pipe'] });
      let missing: string | undefined;
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        const m = NOT_FOUND.exec(text);
        if (m) missing = m[1];
        else process.stderr.write(chunk);
      });
      // Ctrl-C reaches runc too (same process group); runc passes it to the container and ends.
      const ignore = () => undefined;
      process.on('SIGINT', ignore);
      child.on('error', (err) => reject(new StevedoreError('INTERNAL', `cannot start runc: ${err.message}`)));
      child.on('close', (code, signal) => {
        process.off('SIGINT', ignore);
        if (missing !== undefined) {
          reject(
            Object.assign(
              new StevedoreError(
                'NOT_FOUND',
                `failed to create task for container: exec: "${missing}": executable file not found in $PATH`,
              ),
              { exitCode: 127 },
            ),
          );
          return;
        }
        resolve(code ?? (signal ? 128 + 9 : 1));
      });
    });
  } finally {
    // runc removes its state when the container ends; this is for a failure on the way there.
    spawnSync('runc', ['delete', '--force', id], { stdio: 'ignore' });
    unmountRootfs(containerDir);
    rmSync(containerDir, { recursive: true, force: true });
  }
}
