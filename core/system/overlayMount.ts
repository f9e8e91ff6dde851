import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { commandShells } from './commandShell.js';
import { mountTool } from './mountPrograms.js';

/** Set once a kernel refused `volatile` (before Linux 5.10), so later mounts do not ask again. */
let volatileRefused = false;

/**
 * Runs a mount tool; resolves to the last line it complained with, or null once it succeeded.
 * Through the process's command shells where it keeps them (a long-lived engine: commandShell.ts).
 */
export async function mountWith(tool: string, args: string[]): Promise<string | null> {
  const { failure, stderr } = await mountToolRun(tool, args);
  return failure === null ? null : stderr.trim().split('\n').at(-1) || failure;
}

/** mountWith's run: `failure` is null when the tool succeeded, else why it did not (its status); `stderr` all it said. */
export async function mountToolRun(tool: string, args: string[]): Promise<{ failure: string | null; stderr: string }> {
  const shell = commandShells();
  if (shell) {
    try {
      const { code, stderr } = await shell.run([tool, ...args]);
      return { failure: code === 0 ? null : `${tool} exited with status ${code}`, stderr };
    } catch (err) {
      return { failure: (err as Error).message, stderr: '' };
    }
  }
  return new Promise((resolve) =>
    execFile(tool, args, (err, _stdout, stderr) => resolve({ failure: err ? err.message : null, stderr: String(stderr) })),
  );
}

/**
 * Mounts overlayfs at `target` with `options` (lowerdir, upperdir, workdir); resolves to the
 * mount's complaint, or null once mounted.
 *
 * `scratchWorkdir` says the upper directory is scratch (thrown away, or read into a layer that the
 * store then writes and syncs itself): then `volatile` is asked first, so overlayfs skips the
 * fsync it otherwise does for every file it copies up (a `RUN chown -R` over 200 files took a
 * second of syncs) and the sync of the whole upper filesystem at unmount (which waits for every
 * other writer's dirty pages on that disk), and plain where the kernel lacks it. A volatile
 * overlay leaves `work/incompat/volatile` behind and overlayfs refuses to mount that work
 * directory again; for scratch that marker is removed first (a crash's upper directory is thrown
 * away with the rest).
 */
export async function mountOverlay(options: string, target: string, scratchWorkdir?: string): Promise<string | null> {
  // BusyBox's where there is one (mountPrograms.ts): a container's start waits for this mount.
  const [tool, ...applet] = mountTool('mount') ?? ['mount'];
  const mount = (o: string) => mountWith(tool, [...applet, '-t', 'overlay', 'overlay', '-o', o, target]);
  if (scratchWorkdir === undefined) return mount(options);
  rmSync(join(scratchWorkdir, 'work', 'incompat', 'volatile'), { recursive: true, force: true });
  if (volatileRefused) return mount(options);
  if ((await mount(`${options},volatile`)) === null) return null;
  const plain = await mount(options);
  if (plain === null) volatileRefused = true;
  return plain;
}
