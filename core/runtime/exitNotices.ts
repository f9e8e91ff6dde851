import { type FSWatcher, mkdirSync, readdirSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_ID } from './containerRecord.js';

/** Where conmon leaves a file named after each container that ended, for the engine to settle. */
function noticesDir(root: string): string {
  return join(root, 'run', 'ended');
}

/**
 * conmon's exit command for an engine that always runs where its containers run (a machine's
 * agent): a shell leaving an empty file named after the container (conmon appends the ID), in
 * place of a CLI process that would settle the end itself. conmon runs it once the exit code is
 * written. A shell starts in a few milliseconds; Node, in a guest whose CPU is emulated, in about
 * a second of every container's life.
 */
export function exitNoticeCommand(root: string): string[] {
  const dir = noticesDir(root);
  mkdirSync(dir, { recursive: true });
  return ['/bin/sh', '-c', ': > "$0/$1"', dir];
}

/**
 * Settles every container that ends, from the notices `exitNoticeCommand` leaves: those already
 * there at the start (ended while no engine ran) and each new one as it appears. A notice is
 * removed before `settle` runs, so a second end of the same container (a restart) is a new one.
 * `settle` must bear being called for a container already settled or removed. Returns the
 * function that stops watching.
 */
export function watchExitNotices(root: string, settle: (id: string) => Promise<void>): () => void {
  const dir = noticesDir(root);
  mkdirSync(dir, { recursive: true });
  const take = (name: string) => {
    if (!CONTAINER_ID.test(name)) return;
    try {
      rmSync(join(dir, name));
    } catch {
      return; // Taken already (an event of the same file), or never whole.
    }
    settle(name).catch(() => undefined);
  };
  const watcher: FSWatcher = watch(dir, (_event, name) => {
    if (name) take(name.toString());
  });
  watcher.on('error', () => undefined);
  for (const name of readdirSync(dir)) take(name);
  return () => watcher.close();
}
