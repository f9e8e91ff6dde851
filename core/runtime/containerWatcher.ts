import { statSync } from 'node:fs';
import { containerIds, containerPaths } from './containerRecord.js';

/**
 * For long-lived faces: calls `changed(id)` when a container appears, goes, or its record or exit
 * file changes — whichever process did it (the CLI, conmon's exit command). Polls once a second:
 * containers are few, and an exit has no other event to wait on.
 */
export function watchContainers(root: string, changed: (id: string) => void, intervalMs = 1000): () => void {
  let last = new Map<string, string>();
  const look = () => {
    const now = new Map<string, string>();
    for (const id of containerIds(root)) {
      const paths = containerPaths(root, id);
      const mtime = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      now.set(id, `${mtime(paths.record)}:${mtime(paths.exitFile)}`);
    }
    for (const [id, signature] of now) if (last.get(id) !== signature) changed(id);
    for (const id of last.keys()) if (!now.has(id)) changed(id);
    last = now;
  };
  look();
  const timer = setInterval(look, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
