import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { requestTarget } from './requestTarget.js';

const target = (url: string) => requestTarget({ url } as IncomingMessage);

test('an origin-form target gives its decoded path and its query', () => {
  const t = target('/assets/a%20b.js?token=abc');
  assert.equal(t?.path, '/assets/a b.js');
  assert.equal(t?.query.get('token'), 'abc');
});

test('targets a browser never sends to an origin server are bad requests, never a throw', () => {
  for (const url of ['http://[', 'http://127.0.0.1/', '*', '//evil.example/x', '', '/%E0%A4%A', '/%00', '/a%2', 'x']) {
    assert.equal(target(url), undefined, url);
  }
});
