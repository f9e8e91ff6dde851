import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { isAlive, procStat } from '../core/system/procStats.js';
import { stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { processRunningWith } from '../testkit/processes.js';
import { tempDir } from '../testkit/tempDir.js';

const work = tempDir('stevedore-removed-store-');

/** There and not a zombie (kill(pid, 0) succeeds on a zombie not yet reaped). */
const alive = (pid: number) => isAlive(procStat(pid));

it("rm -f returns once the container's supervisor and exit command have ended; a store deleted then stays deleted", async () => {
  const root = join(work, 'store');
  await loadBoxImage(root, join(work, 'box'));
  const run = stevedore(root, ['run', '-d', '--network', 'none', 'box:v1', 'sleep', '100']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  const conmon = Number(readFileSync(join(root, 'containers', id, 'conmon.pid'), 'utf8'));
  const removed = stevedore(root, ['rm', '-f', id]);
  assert.equal(removed.code, 0, removed.stderr);
  // As docker's: once rm returns, nothing of the container runs (conmon ran its exit command and left).
  assert.equal(alive(conmon), false, 'conmon still running after rm -f');
  assert.equal(processRunningWith('container-cleanup', id), false, "the container's exit command still running after rm -f");
  rmSync(root, { recursive: true, force: true });
  // Nothing is left to make it again; a cleanup started late for a removed container makes no store.
  const late = stevedore(root, ['container-cleanup', id]);
  assert.equal(late.code, 0, late.stderr);
  assert.equal(existsSync(root), false, 'the store came back');
});
