import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';

// Issue 12 item 12 (`COPY ../x`): a source outside the build context is refused in one sentence
// that names it as written, through the real `stevedore build`; nothing from beside the context
// reaches the image.

describe('a Dockerfile cannot copy from outside its build context', () => {
  const work = tempDir('stevedore-sec-context-');
  const root = join(work, 'store');
  const context = join(work, 'context');
  mkdirSync(context, { recursive: true });
  writeFileSync(join(work, 'beside'), 'a file next to the context\n');

  for (const source of ['../beside', './../beside', 'sub/../../beside']) {
    it(`COPY ${source} is refused, naming the source`, () => {
      writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY ${source} /x\n`);
      const r = stevedore(root, ['build', '-t', 'localhost/escape:1', context]);
      assert.notEqual(r.code, 0, r.stdout);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.at(-1), `error: COPY ${source}: the source is outside the build context`, r.stderr);
      const images = stevedore(root, ['images', '--json']);
      assert.equal(images.code, 0, images.stderr);
      assert.deepEqual(JSON.parse(images.stdout), [], 'no image was made');
    });
  }
});
