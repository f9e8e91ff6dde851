import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';
import { Router } from './router.js';

describe('the router', () => {
  const router = new Router(new Engine(tempDir()).handlers());

  it('calls the engine with arguments the contract accepts', async () => {
    const r = await router.invoke('images.list', {});
    assert.deepEqual(r, { ok: true, value: [] });
  });

  it('refuses a method the contract does not have', async () => {
    const r = await router.invoke('images.destroyEverything', {});
    assert.deepEqual(r, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'unknown method "images.destroyEverything"' } });
  });

  it('refuses arguments that fail the contract, naming the field', async () => {
    const r = await router.invoke('images.inspect', { ref: 42 });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : '', /invalid arguments for images.inspect \(ref\)/);
  });

  it('turns engine failures into a code and one sentence', async () => {
    const r = await router.invoke('images.inspect', { ref: 'busybox' });
    assert.deepEqual(r, { ok: false, error: { code: 'IMAGE_NOT_FOUND', message: 'no such image: busybox' } });
  });
});
