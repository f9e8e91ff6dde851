import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { StevedoreError } from '../errors.js';
import type { StoreLayout } from './layout.js';

/**
 * Serializes changes to index.json (or, by `name`, another shared file) across processes. proper-lockfile takes a mkdir-based lock
 * (atomic on every filesystem) and refreshes it while held, so a crashed holder's lock goes stale
 * and is taken over instead of blocking forever.
 */
export async function withStoreLock<T>(layout: StoreLayout, fn: () => Promise<T>, name = 'index'): Promise<T> {
  mkdirSync(layout.locks, { recursive: true });
  const target = join(layout.locks, name);
  if (!existsSync(target)) writeFileSync(target, '');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 400, minTimeout: 5, maxTimeout: 100, factor: 1.3 },
    });
  } catch (err) {
    throw new StevedoreError('LOCKED', `the store at ${layout.root} is locked by another process; try again`, { cause: err });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
