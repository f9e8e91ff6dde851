import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VolumeMount } from './containers.schema.js';
import { parseVolumeSpec } from './volumeSpec.js';

describe('parseVolumeSpec (docker -v)', () => {
  const valid: [string, VolumeMount][] = [
    ['/srv:/data', { source: '/srv', target: '/data', readOnly: false }],
    ['/srv:/data:ro', { source: '/srv', target: '/data', readOnly: true }],
    ['/srv:/data:rw', { source: '/srv', target: '/data', readOnly: false }],
    ['/srv/./www//:/usr/../data/', { source: '/srv/www', target: '/data', readOnly: false }],
    ['/:/host:ro', { source: '/', target: '/host', readOnly: true }],
  ];
  for (const [text, expected] of valid) {
    it(`reads ${text}`, () => assert.deepEqual(parseVolumeSpec(text), { ok: true, value: expected }));
  }

  const invalid: [string, RegExp][] = [
    ['', /expected HOST:CONTAINER\[:ro\]$/],
    ['/srv', /expected HOST:CONTAINER\[:ro\]$/],
    ['/a:/b:ro:x', /expected HOST:CONTAINER\[:ro\]$/],
    ['data:/data', /the host path must be absolute \(named volumes are not supported yet\)$/],
    [':/data', /the host path must be absolute/],
    ['/srv:data', /the container path must be absolute$/],
    ['/srv:', /the container path must be absolute$/],
    ['/srv:/', /the container path cannot be \/$/],
    ['/srv://', /the container path cannot be \/$/],
    ['/srv:/data/..', /the container path cannot be \/$/],
    ['/srv:/data:rx', /unknown mode "rx" \(use ro or rw\)$/],
    ['/srv:/data:', /unknown mode "" \(use ro or rw\)$/],
  ];
  for (const [text, message] of invalid) {
    it(`refuses "${text}" in one sentence`, () => {
      const parsed = parseVolumeSpec(text);
      assert.ok(!parsed.ok);
      assert.ok(parsed.message.startsWith(`invalid volume "${text}": `), parsed.message);
      assert.match(parsed.message, message);
    });
  }
});
