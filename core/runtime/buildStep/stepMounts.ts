import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mount } from '../runtimeSpec.js';
import type { StepMount } from './buildStepRequest.js';
import { throwAwayMount } from './throwAwayMount.js';

/** A step's mounts as runc takes them, and what unmakes them once the step is over. */
export interface MadeStepMounts {
  mounts: Mount[];
  /** Unmounts the throw-away overlays and removes the secrets; what it lies over goes after. */
  release: () => Promise<void>;
}

/** Where this machine keeps the directory of a cache mount, across builds. */
function cacheMountDir(storeRoot: string, id: string): string {
  return join(storeRoot, 'build-mounts', id);
}

/**
 * A RUN step's mounts made on this machine (the native runtime's, so also a machine's agent's):
 * a cache's directory made on first use with the mount's owner and mode, an overlay over a
 * bind's source where the step may write (throwAwayMount.ts), a secret written to a private
 * directory of `buildDir`. On failure, what was made is unmade before the error goes on.
 */
export async function makeStepMounts(
  requested: StepMount[],
  where: { storeRoot: string; buildDir: string },
): Promise<MadeStepMounts> {
  const releases: (() => Promise<void>)[] = [];
  const release = async () => {
    await Promise.all(releases.splice(0).map((r) => r()));
  };
  const mounts: Mount[] = [];
  try {
    for (const mount of requested) {
      const { destination } = mount;
      if (mount.type === 'tmpfs') {
        const options = ['nosuid', 'nodev', ...(mount.size ? [`size=${mount.size}`] : [])];
        mounts.push({ destination, type: 'tmpfs', source: 'tmpfs', options });
      } else if (mount.type === 'cache') {
        const source = cacheMountDir(where.storeRoot, mount.id);
        if (!existsSync(source)) {
          mkdirSync(source, { recursive: true, mode: mount.mode });
          chownSync(source, mount.uid, mount.gid);
        }
        mounts.push({ destination, type: 'bind', source, options: ['rbind', mount.readOnly ? 'ro' : 'rw'] });
      } else if (mount.type === 'bind') {
        let source = mount.source;
        if (!mount.readOnly) {
          const copy = await throwAwayMount(source, join(where.buildDir, `rw-mount-${randomBytes(4).toString('hex')}`));
          releases.push(copy.release);
          source = copy.path;
        }
        mounts.push({ destination, type: 'bind', source, options: ['rbind', mount.readOnly ? 'ro' : 'rw'] });
      } else if (mount.type === 'secret') {
        const dir = join(where.buildDir, `secret-${randomBytes(8).toString('hex')}`);
        mkdirSync(dir, { mode: 0o700 });
        releases.push(async () => rmSync(dir, { recursive: true, force: true }));
        const file = join(dir, 'value');
        writeFileSync(file, mount.value, { mode: 0o600 });
        chownSync(file, mount.uid, mount.gid);
        chmodSync(file, mount.mode);
        mounts.push({ destination, type: 'bind', source: file, options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'] });
      } else {
        mounts.push({ destination, type: 'bind', source: mount.source, options: ['rbind', 'nosuid', 'nodev', 'noexec'] });
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { mounts, release };
}
