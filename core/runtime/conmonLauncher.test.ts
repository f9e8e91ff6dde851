import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { launchUnderConmon } from './conmonLauncher.js';
import { type ContainerRecord, containerPaths } from './containerRecord.js';

describe('conmon that cannot start', () => {
  it('is said to be missing, with how to install it, when it is not on PATH', async (t) => {
    const root = tempDir();
    const id = 'c0ffee'.repeat(10).slice(0, 64);
    mkdirSync(containerPaths(root, id).dir, { recursive: true });
    const record = { id, name: 'web', config: { args: ['true'], tty: false, interactive: false } } as unknown as ContainerRecord;
    const path = process.env.PATH;
    t.after(() => {
      process.env.PATH = path;
    });
    process.env.PATH = tempDir();
    await assert.rejects(launchUnderConmon(root, record, []), {
      message: 'cannot start conmon: it is not installed (Debian: apt-get install conmon)',
    });
  });
});
