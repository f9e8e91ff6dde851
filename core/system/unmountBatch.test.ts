import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { isMounted } from './mountTable.js';
import { unmount } from './unmountBatch.js';

const asRoot = process.getuid?.() === 0;

function mountTmpfs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe('unmount', { skip: !asRoot && 'mounting needs root' }, () => {
  it('unmounts what is asked at once, each answered for itself: one held busy says why, the others go', async (t) => {
    const root = tempDir();
    const [a, b, busy] = ['a', 'b', 'busy'].map((name) => join(root, name));
    for (const dir of [a, b, busy]) mountTmpfs(dir!);
    writeFileSync(join(busy!, 'file'), 'x');
    // A process whose working directory is inside keeps that one mounted (spawn returns once it runs there).
    const holder: ChildProcess = spawn('sleep', ['600'], { cwd: busy, stdio: 'ignore' });
    t.after(() => {
      holder.kill('SIGKILL');
      spawnSync('umount', ['-l', busy!]);
    });
    const answers = await Promise.all([unmount(a!), unmount(busy!), unmount(b!)]);
    assert.equal(answers[0], null);
    assert.equal(answers[2], null);
    assert.match(answers[1] ?? '', /busy/);
    assert.ok(!isMounted(a!) && !isMounted(b!));
    assert.ok(isMounted(busy!));
  });

  it('answers null for a target that is not mounted (unmounted already)', async () => {
    const dir = join(tempDir(), 'plain');
    mkdirSync(dir);
    assert.equal(await unmount(dir), null);
  });
});
