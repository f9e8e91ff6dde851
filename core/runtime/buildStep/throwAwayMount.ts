import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isMounted } from '../../system/mountTable.js';
import { mountOverlay } from '../../system/overlayMount.js';
import { runTool } from '../../system/runTool.js';
import { unmount } from '../../system/unmountBatch.js';

export interface ThrowAwayMount {
  /** What to bind into the step, read-write: the source as it is, plus the step's writes. */
  path: string;
  /** Unmounts and removes the step's writes; the source is as it was. */
  release: () => Promise<void>;
}

/** overlayfs splits its options at `,` and lower directories at `:`; a backslash escapes them. */
function overlayPath(path: string): string {
  return path.replace(/[\\,:]/g, (c) => `\\${c}`);
}

/**
 * `RUN --mount=type=bind,rw`, as BuildKit has it: the step may write to the mount, and its
 * writes land in a layer of their own that is dropped after the step. The source (the user's
 * build context, or a stage's or image's snapshot that other images share) is never written to.
 * A directory gets an overlay over it (the source as the read-only lower layer, upper and work
 * directories in `scratch`); where the kernel refuses that, and for a single file, a private copy
 * (`cp -a`, reflinked where the filesystem can).
 */
export async function throwAwayMount(source: string, scratch: string): Promise<ThrowAwayMount> {
  mkdirSync(scratch, { recursive: true });
  const merged = join(scratch, 'merged');
  const release = async () => {
    if (isMounted(merged)) await unmount(merged);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    if (lstatSync(source).isDirectory()) {
      const [upper, work] = [join(scratch, 'upper'), join(scratch, 'work')];
      for (const d of [upper, work, merged]) mkdirSync(d);
      const options = `lowerdir=${overlayPath(source)},upperdir=${overlayPath(upper)},workdir=${overlayPath(work)}`;
      if ((await mountOverlay(options, merged, work)) === null) return { path: merged, release };
      rmSync(merged, { recursive: true, force: true });
      mkdirSync(merged);
      runTool('cp', ['-a', '--reflink=auto', `${source}/.`, merged], 'copying the rw bind mount’s source');
    } else {
      runTool('cp', ['-a', '--reflink=auto', source, merged], 'copying the rw bind mount’s source');
    }
    return { path: merged, release };
  } catch (err) {
    await release();
    throw err;
  }
}
