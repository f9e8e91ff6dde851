import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostsText } from './networkHosts.js';

test('hostsText lists every member with its names, by address, after docker’s localhost lines', () => {
  assert.equal(
    hostsText([
      { ipAddress: '10.214.0.10', names: ['b1c2d3e4f5a6', 'api'] },
      { ipAddress: '10.214.0.2', names: ['a1b2c3d4e5f6', 'web', 'www'] },
      { ipAddress: '10.214.0.3', names: [] },
    ]),
    '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.214.0.2\ta1b2c3d4e5f6 web www\n10.214.0.10\tb1c2d3e4f5a6 api\n',
  );
});
