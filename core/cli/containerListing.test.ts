import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');
const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
/** The names ps lists, in its order (newest first). */
const names = (args: string[]) =>
  ok(['ps', ...args, '--format', '{{.Names}}'])
    .trim()
    .split('\n')
    .filter(Boolean);

describe('ps --filter before= and since=, as docker', () => {
  const ids: Record<string, string> = {};
  before(async () => {
    await loadBoxImage(root, work);
    // Made one after the other: created first, second, third (newest).
    for (const name of ['first', 'second', 'third']) {
      ids[name] = ok(['create', '--name', name, '-l', `order=${name}`, 'box:v1', 'true']).trim();
    }
  });

  after(() => {
    stevedore(root, ['rm', '-f', 'first', 'second', 'third']);
  });

  it('lists the containers created before or since the one named, by name or ID', () => {
    assert.deepEqual(names(['-a', '-f', 'before=third']), ['second', 'first']);
    assert.deepEqual(names(['-a', '-f', 'since=first']), ['third', 'second']);
    assert.deepEqual(names(['-a', '-f', `before=${ids.third!.slice(0, 12)}`]), ['second', 'first']);
    assert.deepEqual(names(['-a', '-f', `since=${ids.first}`]), ['third', 'second']);
    assert.deepEqual(names(['-a', '-f', 'since=first', '-f', 'before=third']), ['second']);
    assert.deepEqual(names(['-a', '-f', 'since=third']), []);
  });

  it('combines with the other filters, and without -a lists running containers only', () => {
    assert.deepEqual(names(['-a', '-f', 'before=third', '-f', 'label=order=first']), ['first']);
    assert.deepEqual(names(['-a', '-f', 'before=third', '-f', 'status=created']), ['second', 'first']);
    // None runs: docker's before/since do not imply -a.
    assert.deepEqual(names(['-f', 'since=first']), []);
  });

  it('-n N and -l list the last created containers, of every state, as docker', () => {
    assert.deepEqual(names(['-n', '2']), ['third', 'second']);
    assert.deepEqual(names(['--last', '1']), ['third']);
    assert.deepEqual(names(['-l']), ['third']);
    assert.deepEqual(names(['--latest', '-f', 'label=order=first']), ['first']);
    assert.deepEqual(names(['-n', '-1']), [], 'docker’s -1 is the default: running ones only');
    const bad = stevedore(root, ['ps', '-n', 'two']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: invalid -n/--last "two": expected a whole number\n');
  });

  it('refuses a container that does not exist in one line', () => {
    const r = stevedore(root, ['ps', '-a', '-f', 'before=nosuch']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: no such container: nosuch\n');
  });
});
