import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');
const builder = join(work, 'builder-store');
let registry: RunningRegistry;
let base: string;
let context: string;

function ok(store: string, args: string[]): string {
  const r = stevedore(store, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Builds the context in the builder's store, exported to a new directory: is /v2 there? */
function buildHasV2(name: string, extra: string[] = []): boolean {
  const dest = join(work, name);
  ok(builder, ['build', '-q', ...extra, '-o', dest, context]);
  assert.ok(existsSync(join(dest, 'marker')));
  return existsSync(join(dest, 'v2'));
}

describe('build --pull (issue 16)', () => {
  before(async () => {
    await loadBoxImage(root, work);
    registry = await startRegistry();
    base = `${registry.host}/e2e/base:1`;
    ok(root, ['push', 'box:v1', base]);
    context = join(work, 'ctx');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), `FROM ${base}\nCOPY marker /marker\n`);
    writeFileSync(join(context, 'marker'), 'm\n');
  });
  after(() => registry.stop());

  it('uses the stored base without --pull, and looks for a newer one in its registry with it', () => {
    assert.equal(buildHasV2('first'), false, 'the base pulled at the first build');
    // A changed base pushed under the same tag.
    const v2 = join(work, 'v2ctx');
    mkdirSync(v2);
    writeFileSync(join(v2, 'Dockerfile'), 'FROM box:v1\nCOPY v2 /v2\n');
    writeFileSync(join(v2, 'v2'), 'two\n');
    ok(root, ['build', '-q', '-t', 'box:v2', v2]);
    ok(root, ['push', 'box:v2', base]);
    assert.equal(buildHasV2('stored'), false, 'without --pull the stored base is used');
    assert.equal(buildHasV2('pulled', ['--pull']), true, '--pull takes the base pushed since');
    assert.equal(buildHasV2('after'), true, 'the pulled base is the stored one now');
  });
});
