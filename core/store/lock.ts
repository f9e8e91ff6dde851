import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { StevedoreError } from '../errors.js';
import type { StoreLayout } from './layout.js';

/**
 * Runs `fn` holding a cross-process lock on `target`. proper-lockfile takes a mkdir-based lock
 * (atomic on every filesystem) and refreshes it while held, so a crashed holder's lock goes stale
 * and is taken over instead of blocking forever; a lock taken over while `fn` ran is an error.
 * `what` names what is locked, for the error.
 */
export async function withFileLock<T>(target: string, what: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) writeFileSync(target, '');
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 400, minTimeout: 5, maxTimeout: 100, factor: 1.3 },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (err) {
    throw new StevedoreError('LOCKED', `${what} is locked by another process; try again`, { cause: err });
  }
  try {
    const result = await fn();
    if (compromised) throw new StevedoreError('LOCKED', `the lock on ${what} was taken over while held; try again`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

/** Serializes changes to index.json (or, by `name`, another shared file of the store) across processes. */
export async function withStoreLock<T>(layout: StoreLayout, fn: () => Promise<T>, name = 'index'): Promise<T> {
  return withFileLock(join(layout.locks, name), `the store at ${layout.root}`, fn);
}
