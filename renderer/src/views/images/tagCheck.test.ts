import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNewTag } from './tagCheck';

test('a new tag is a reference without a digest, checked with the engine’s grammar', () => {
  assert.equal(checkNewTag('demo/web:2.0'), null);
  assert.equal(checkNewTag('registry.example:5000/team/app'), null);
  assert.equal(checkNewTag('Demo/Web:2'), 'Repository names are lowercase.');
  assert.match(checkNewTag(`app@sha256:${'a'.repeat(64)}`) ?? '', /digest cannot be given/);
  assert.match(checkNewTag('app:') ?? '', /tag after “:” is missing/);
});
