import { isMounted } from './mountTable.js';
import { mountToolRun } from './overlayMount.js';

interface Request {
  target: string;
  resolve: (complaint: string | null) => void;
}

let pending: Request[] | null = null;

/**
 * Unmounts `target`; resolves to null once it is no longer mounted, else to umount's complaint
 * about it. The unmounts asked for in the same turn of the event loop go to one `umount` process:
 * a container's teardown unmounts its root filesystem and its network namespace at once, and each
 * process started costs this one a fork (docs/architecture.md, "Where a CLI command's time goes").
 */
export function unmount(target: string): Promise<string | null> {
  return new Promise((resolve) => {
    if (!pending) {
      pending = [];
      queueMicrotask(() => void unmountPending());
    }
    pending.push({ target, resolve });
  });
}

async function unmountPending(): Promise<void> {
  const batch = pending ?? [];
  pending = null;
  const targets = [...new Set(batch.map((r) => r.target))];
  // umount goes on to the next target after one it cannot unmount, and names the target in each complaint.
  const { failure, stderr } = await mountToolRun('umount', targets);
  const lines = stderr.split('\n').filter((line) => line.trim());
  for (const { target, resolve } of batch) {
    if (failure === null || !isMounted(target)) resolve(null);
    else resolve(lines.find((line) => line.includes(`${target}:`))?.trim() ?? failure);
  }
}
