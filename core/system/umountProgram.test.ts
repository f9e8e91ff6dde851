import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMounted } from './mountTable.js';
import { umountOn } from './umountProgram.js';

const root = process.getuid?.() === 0;

test('a busybox without the umount applet is passed over for util-linux umount', () => {
  const dir = mkdtempSync(join(tmpdir(), 'umount-choice-'));
  try {
    const fake = join(dir, 'busybox');
    writeFileSync(fake, Buffer.from('\0mount\0umountx\0uname\0'));
    chmodSync(fake, 0o755);
    // First on PATH, before any real BusyBox.
    const path = `${dir}:${process.env.PATH ?? ''}`;
    assert.match(umountOn(path) ?? '', /\/umount$/);
    writeFileSync(fake, Buffer.from('\0mount\0umount\0uname\0'));
    assert.equal(umountOn(path), fake);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the chosen program unmounts what it is given, run as umount', { skip: !root && 'needs root to mount' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'umount-run-'));
  const targets = [join(dir, 'a'), join(dir, 'b')];
  try {
    for (const target of targets) {
      mkdirSync(target);
      assert.equal(spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', target]).status, 0);
    }
    const program = umountOn(process.env.PATH ?? '');
    assert.ok(program, 'no umount here');
    const r = spawnSync(program, targets, { argv0: 'umount', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const target of targets) assert.equal(isMounted(target), false, `${target} is still mounted`);
  } finally {
    for (const target of targets) spawnSync('umount', [target]);
    rmSync(dir, { recursive: true, force: true });
  }
});
