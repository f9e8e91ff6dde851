import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
/**
 * Removed as the test file's process exits, after every test and hook. Not in an `after` hook:
 * called inside a test, `after` adds to that test's own hooks, which node runs in the order they
 * were added and stops at the first that throws. The removal then came before the test's later
 * `t.after(() => app.stop())`, while the engine still wrote to the store: under load `rmdir`
 * failed with ENOTEMPTY, the engine was never stopped, and the file hung until its timeout.
 */
process.on('exit', () => {
  for (const dir of made.reverse()) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** A fresh directory removed when the test file ends. */
export function tempDir(prefix = 'stevedore-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
