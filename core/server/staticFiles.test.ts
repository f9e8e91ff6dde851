import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { resolveStatic } from './staticFiles.js';

/** A built app's directory, beside a file that is not part of it. */
function renderer(): string {
  const root = join(tempDir('stevedore-static-'), 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, '..', 'secret.js'), 'secret');
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'app-1.js'), 'export {};');
  return root;
}

test('a file of the built app is served as itself, with its type', () => {
  const root = renderer();
  const file = resolveStatic(root, '/assets/app-1.js');
  assert.equal(file?.type, 'text/javascript; charset=utf-8');
  assert.equal(file?.body.toString(), 'export {};');
  assert.equal(file?.isPage, false);
});

test('a path without an extension gets the app', () => {
  const root = renderer();
  for (const path of ['/', '/images', '/containers/abc', '/index.html']) {
    assert.equal(resolveStatic(root, path)?.type, 'text/html; charset=utf-8', path);
    assert.equal(resolveStatic(root, path)?.isPage, true, path);
  }
});

test('a missing file is not found, not answered with the app: an old chunk after a rebuild', () => {
  const root = renderer();
  assert.equal(resolveStatic(root, '/assets/app-0.js'), undefined);
  assert.equal(resolveStatic(root, '/favicon.ico'), undefined);
});

test('nothing outside the directory is served', () => {
  const root = renderer();
  for (const path of ['/../secret.js', '/assets/../../secret.js', '/..']) {
    assert.notEqual(resolveStatic(root, path)?.body.toString(), 'secret', path);
  }
});
