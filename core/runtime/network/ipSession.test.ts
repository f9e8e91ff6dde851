import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { keepCommandShells } from '../../system/commandShell.js';
import { isMounted } from '../../system/mountTable.js';
import { runHostIpBatch } from './ipSession.js';

const root = process.getuid?.() === 0;

describe('the long-lived ip of an engine', { skip: !root && 'makes network namespaces: needs root' }, () => {
  it('runs batch after batch, says which line failed in ip’s words, and keeps nothing of what it made open', async () => {
    keepCommandShells();
    const names = [1, 2, 3].map(() => `sdtest-${randomBytes(4).toString('hex')}`);
    try {
      await runHostIpBatch([`netns add ${names[0]}`], 'making one');
      await runHostIpBatch([`netns add ${names[1]}`, `netns add ${names[2]}`], 'making two');
      for (const name of names) assert.equal(isMounted(`/run/netns/${name}`), true, `${name} is not there`);
      // A failing line, between two that succeed: the batch fails with ip's words, and the session goes on.
      await assert.rejects(
        runHostIpBatch(['link show dev lo', 'link show dev no-such-device', 'link show dev lo'], 'looking'),
        (err: Error) => {
          assert.match(err.message, /^looking failed: Device "no-such-device" does not exist\.$/);
          return true;
        },
      );
      await runHostIpBatch(['link show dev lo'], 'looking again');
      // Nothing of a namespace stays open in the session: each unmounts at once (EBUSY otherwise).
      for (const name of names) {
        const r = spawnSync('umount', [`/run/netns/${name}`], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      }
    } finally {
      for (const name of names) if (existsSync(`/run/netns/${name}`)) spawnSync('ip', ['netns', 'delete', name]);
    }
  });
});
