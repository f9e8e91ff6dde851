import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { newcArchive } from './newcCpio.js';

const entries = [
  { path: 'init', type: 'file' as const, mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n') },
  { path: 'bin', type: 'dir' as const, mode: 0o755 },
  { path: 'bin/sh', type: 'symlink' as const, target: 'busybox' },
  { path: 'dev', type: 'dir' as const, mode: 0o755 },
  { path: 'dev/console', type: 'chardev' as const, mode: 0o600, major: 5, minor: 1 },
];

/** GNU cpio's verbose listing of an archive: an independent reader of the format. */
function cpioList(archive: Buffer): string[] {
  const r = spawnSync('cpio', ['-itv', '--quiet', '--numeric-uid-gid'], { input: archive, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

describe('newcArchive (the initramfs format)', () => {
  it('is read back by GNU cpio: sorted paths, root owners, a device node, a symlink, the file data', () => {
    const listing = cpioList(newcArchive(entries, 1_700_000_000));
    assert.deepEqual(
      listing.map((l) => (l.split(/\s+/).slice(-1)[0] === 'busybox' ? l.split(/\s+/).slice(-3).join(' ') : l.split(/\s+/).pop())),
      ['bin', 'bin/sh -> busybox', 'dev', 'dev/console', 'init'],
    );
    for (const line of listing) assert.match(line, /^\S+\s+\d+\s+0\s+0\s/, `owned by 0:0: ${line}`);
    assert.match(listing.find((l) => l.endsWith('dev/console'))!, /^crw-------\s+1\s+0\s+0\s+5,\s+1\s/);
    assert.match(listing.find((l) => l.endsWith(' init'))!, /^-rwxr-xr-x\s+1\s+0\s+0\s+18\s/);
  });

  it('gives the same bytes for the same entries in any order, and other bytes for another mtime', () => {
    const a = newcArchive(entries, 42);
    assert.deepEqual(newcArchive([...entries].reverse(), 42), a);
    assert.notDeepEqual(newcArchive(entries, 43), a);
    // newc pads every header+name and every file's data to 4 bytes.
    assert.equal(a.length % 4, 0);
    assert.equal(a.subarray(0, 6).toString('ascii'), '070701');
  });
});
