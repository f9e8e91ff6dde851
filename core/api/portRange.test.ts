import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandPortRange } from './portRange.js';

test('-p ranges expand to one -p per port, as docker publishes them', () => {
  assert.deepEqual(expandPortRange('8000-8002:8000-8002'), { ok: true, value: ['8000:8000', '8001:8001', '8002:8002'] });
  assert.deepEqual(expandPortRange('127.0.0.1:9000-9001:80-81/udp'), {
    ok: true,
    value: ['127.0.0.1:9000:80/udp', '127.0.0.1:9001:81/udp'],
  });
  assert.deepEqual(expandPortRange('8000-8001'), { ok: true, value: ['8000', '8001'] });
  assert.deepEqual(expandPortRange('127.0.0.1::8000-8001'), { ok: true, value: ['127.0.0.1::8000', '127.0.0.1::8001'] });
  assert.deepEqual(expandPortRange('8080:80'), { ok: true, value: ['8080:80'] });
});

test('uneven or backwards ranges are refused in one sentence', () => {
  const uneven = expandPortRange('8000-8002:80-81');
  assert.equal(uneven.ok, false);
  assert.match(uneven.ok ? '' : uneven.message, /the host range has 3 ports and the container range 2/);
  assert.equal(expandPortRange('8002-8000:80-82').ok, false);
  assert.equal(expandPortRange('1-70000').ok, false);
});
