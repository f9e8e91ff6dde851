import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mountToolOn } from './mountPrograms.js';
import { isMounted } from './mountTable.js';

const root = process.getuid?.() === 0;

test('a busybox without the applet is passed over for util-linux’s program', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mount-tools-'));
  try {
    const fake = join(dir, 'busybox');
    writeFileSync(fake, Buffer.from('\0mountx\0umountx\0uname\0'));
    chmodSync(fake, 0o755);
    // First on PATH, before any real BusyBox.
    const path = `${dir}:${process.env.PATH ?? ''}`;
    assert.match(mountToolOn('umount', path)?.[0] ?? '', /\/umount$/);
    assert.match(mountToolOn('mount', path)?.[0] ?? '', /\/mount$/);
    writeFileSync(fake, Buffer.from('\0mount\0umount\0uname\0'));
    assert.deepEqual(mountToolOn('umount', path), [fake, 'umount']);
    assert.deepEqual(mountToolOn('mount', path), [fake, 'mount']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the chosen programs mount and unmount', { skip: !root && 'needs root to mount' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mount-tools-run-'));
  const targets = [join(dir, 'a'), join(dir, 'b')];
  const path = process.env.PATH ?? '';
  try {
    const mountCommand = mountToolOn('mount', path);
    const umountCommand = mountToolOn('umount', path);
    assert.ok(mountCommand && umountCommand, 'no mount or umount here');
    const [mount, ...mountArgs] = mountCommand;
    const [umount] = umountCommand;
    for (const target of targets) {
      mkdirSync(target);
      const mounted = spawnSync(mount, [...mountArgs, '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', target], { encoding: 'utf8' });
      assert.equal(mounted.status, 0, mounted.stderr);
      assert.equal(isMounted(target), true);
    }
    // As the runtime's hook runs it: argv[0] `umount` (BusyBox picks the applet by it).
    const r = spawnSync(umount, targets, { argv0: 'umount', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const target of targets) assert.equal(isMounted(target), false, `${target} is still mounted`);
  } finally {
    for (const target of targets) spawnSync('umount', [target]);
    rmSync(dir, { recursive: true, force: true });
  }
});
