import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReference, parseReference } from '../../../../core/oci/reference';
import { checkReference, checkRegistryHost, registryHost } from './referenceCheck';

/** The engine's parser, as the oracle: the check as you type must agree with what the engine will say. */
function engine(text: string): string | null {
  try {
    return formatReference(parseReference(text));
  } catch {
    return null;
  }
}

const hex = 'a'.repeat(64);
const inputs = [
  'busybox',
  'busybox:1.36',
  'library/busybox',
  'docker.io/library/busybox:latest',
  'index.docker.io/user/app',
  'user/app:v1.0-rc.1',
  'ghcr.io/owner/app:1.0',
  'localhost/app',
  'localhost:5000/team/app:tag',
  '127.0.0.1:41234/e2e/big:1',
  '[::1]:5000/app',
  'registry.example:5000/a/b/c/d',
  'Registry.Example/app',
  `app@sha256:${hex}`,
  `app:1@sha256:${hex}`,
  'a__b/c-d.e',
  'a---b',
  '',
  '  ',
  'Team/App',
  'UPPER',
  'app:',
  'app:-bad',
  'app:.bad',
  `app:${'t'.repeat(129)}`,
  'app@sha256:short',
  `app@sha256:${'A'.repeat(64)}`,
  'app@md5',
  'a//b',
  '/app',
  'app/',
  'a_/b',
  '-app',
  'host:port/app',
  'host:123456x/app',
  'bad_host.example/app',
  `${'a'.repeat(250)}/x`,
  'with space',
];

describe('checkReference', () => {
  for (const input of inputs) {
    it(`agrees with the engine on ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, () => {
      const check = checkReference(input);
      const expected = engine(input);
      if (expected === null) assert.equal(check.ok, false, `the engine refuses ${input}`);
      else assert.deepEqual(check.ok ? check.reference.normalized : check.problem, expected);
    });
  }

  it('says what is wrong in a sentence', () => {
    const check = checkReference('Team/App');
    assert.deepEqual(check, { ok: false, problem: 'Repository names are lowercase.' });
  });
});

describe('registryHost', () => {
  it('takes a host from a URL', () => {
    assert.equal(registryHost(' https://Registry.Example:5000/v2/ '), 'registry.example:5000');
    assert.equal(checkRegistryHost('https://registry.example:5000/v2/'), null);
    assert.match(checkRegistryHost('not a host') ?? '', /is not a host/);
    assert.match(checkRegistryHost('') ?? '', /Type a host/);
  });
});
