import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeAccessToken } from './accessToken';

/** A tab: its address bar (replaceState changes it) and its sessionStorage. */
function tab(href: string, storage: Map<string, string> = new Map()) {
  const location = { href } as Location;
  const history = {
    state: null,
    replaceState: (_state: unknown, _unused: string, url: string) => {
      location.href = new URL(url, location.href).href;
    },
  } as unknown as History;
  const sessionStorage = {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
  } as Storage;
  return { location, history, sessionStorage, storage };
}

test('the token is taken from the URL once, out of the address bar, and kept for a reload', () => {
  const t = tab('http://127.0.0.1:8080/?token=abc&x=1#detail');
  assert.equal(takeAccessToken(t.location, t.history, t.sessionStorage), 'abc');
  assert.equal(t.location.href, 'http://127.0.0.1:8080/?x=1#detail');
  // The reload: no token in the URL any more, the tab's storage still has it.
  assert.equal(takeAccessToken(t.location, t.history, t.sessionStorage), 'abc');
});

test('a tab opened without the token has none; a browser without storage keeps it in memory only', () => {
  const fresh = tab('http://127.0.0.1:8080/');
  assert.equal(takeAccessToken(fresh.location, fresh.history, fresh.sessionStorage), undefined);
  const noStorage = tab('http://127.0.0.1:8080/?token=abc');
  const refusing = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('SecurityError');
    },
  } as unknown as Storage;
  assert.equal(takeAccessToken(noStorage.location, noStorage.history, refusing), 'abc');
  assert.equal(noStorage.location.href, 'http://127.0.0.1:8080/');
  assert.equal(takeAccessToken(noStorage.location, noStorage.history, undefined), undefined);
});
