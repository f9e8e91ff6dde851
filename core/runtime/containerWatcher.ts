import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * For long-lived faces: calls `changed(id)` when a container appears, goes, or its record or exit
 * file changes — whichever process did it (the CLI, conmon's exit command). Polls once a second:
 * containers are few, and an exit has no other event to wait on.
 */
export function watchContainers(root: string, changed: (id: string) => void, intervalMs = 1000): () => void {
  const dir = join(root, 'containers');
  let last = new Map<string, string>();
  const look = () => {
    const now = new Map<string, string>();
    if (existsSync(dir)) {
      for (const id of readdirSync(dir)) {
        if (!/^[0-9a-f]{64}$/.test(id)) continue;
        const mtime = (file: string) => statSync(join(dir, id, file), { throwIfNoEntry: false })?.mtimeMs ?? 0;
        now.set(id, `${mtime('container.json')}:${mtime('exit')}`);
      }
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
