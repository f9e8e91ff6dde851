import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStevedoreError } from '../errors.js';
import { familiarReference, normalizeReference, parseReference, parseRepository } from './reference.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  const normalized: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['user/app', 'docker.io/user/app:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/a/b:t', 'localhost:5000/a/b:t'],
    [`host:5000/a/b:t@${digest}`, `host:5000/a/b:t@${digest}`],
    [`busybox@${digest}`, `docker.io/library/busybox@${digest}`],
    ['ghcr.io/org/team/app:v1.2.3-rc_1', 'ghcr.io/org/team/app:v1.2.3-rc_1'],
    ['[::1]:5000/app', '[::1]:5000/app:latest'],
    ['a__b/c--d.e:x', 'docker.io/a__b/c--d.e:x'],
  ];
  for (const [input, expected] of normalized) {
    it(`normalizes ${input}`, () => assert.equal(normalizeReference(input), expected));
  }

  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['Busybox', /lowercase/],
    ['busybox:', /the tag after ":" is missing/],
    [`busybox:${'t'.repeat(129)}`, /not a valid tag/],
    ['busybox@sha256:abc', /not a valid digest/],
    ['a/-b', /component/],
    ['a//b', /component/],
    ['host:5000/', /missing|component/],
  ];
  for (const [input, why] of refused) {
    it(`refuses "${input.slice(0, 30)}"`, () => {
      assert.throws(
        () => parseReference(input),
        (err) => isStevedoreError(err) && err.code === 'INVALID_REFERENCE' && why.test(err.message),
      );
    });
  }

  it('shows references the short way docker does', () => {
    assert.equal(familiarReference(parseReference('docker.io/library/busybox:latest')), 'busybox:latest');
    assert.equal(familiarReference(parseReference('docker.io/user/app:1')), 'user/app:1');
    assert.equal(familiarReference(parseReference('localhost:5000/app:1')), 'localhost:5000/app:1');
  });

  it('takes a repository alone where one is asked for: a port is not a tag, a tag or digest is refused', () => {
    const repository = parseRepository('localhost:5000/team/app');
    assert.deepEqual([repository.domain, repository.path], ['localhost:5000', 'team/app']);
    for (const tagged of ['localhost:5000/team/app:1', `busybox@${digest}`, 'busybox:latest']) {
      assert.throws(
        () => parseRepository(tagged),
        (err: unknown) => isStevedoreError(err) && err.message === `name a repository, without a tag or digest: ${tagged}`,
      );
    }
  });
});
