import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PortRequest } from './containers.schema.js';
import { hostPortName, parsePortSpec } from './portSpec.js';

describe('parsePortSpec (docker -p)', () => {
  const valid: [string, PortRequest][] = [
    ['8080:80', { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    ['127.0.0.1:8080:80', { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    ['127.0.0.1::80', { hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp' }],
    ['80', { hostIp: '0.0.0.0', hostPort: 0, containerPort: 80, protocol: 'tcp' }],
    ['53:53/udp', { hostIp: '0.0.0.0', hostPort: 53, containerPort: 53, protocol: 'udp' }],
    ['80/tcp', { hostIp: '0.0.0.0', hostPort: 0, containerPort: 80, protocol: 'tcp' }],
    ['0.0.0.0:5353:53/UDP', { hostIp: '0.0.0.0', hostPort: 5353, containerPort: 53, protocol: 'udp' }],
    ['10.0.0.5::443/tcp', { hostIp: '10.0.0.5', hostPort: 0, containerPort: 443, protocol: 'tcp' }],
    ['0:80', { hostIp: '0.0.0.0', hostPort: 0, containerPort: 80, protocol: 'tcp' }],
    ['65535:1', { hostIp: '0.0.0.0', hostPort: 65535, containerPort: 1, protocol: 'tcp' }],
  ];
  for (const [text, expected] of valid) {
    it(`reads ${text}`, () => assert.deepEqual(parsePortSpec(text), { ok: true, value: expected }));
  }

  const invalid: [string, RegExp][] = [
    ['', /the container port must be a number from 1 to 65535/],
    ['http', /the container port must be a number/],
    ['8080:', /the container port must be a number/],
    ['8080:0', /the container port must be a number/],
    ['8080:65536', /the container port must be a number/],
    ['99999:80', /the host port must be a number from 1 to 65535/],
    ['-1:80', /the host port must be a number/],
    ['8000-8010:80', /port ranges are not supported/],
    ['80/sctp', /the protocol must be tcp or udp, not "sctp"/],
    ['80/', /the protocol must be tcp or udp/],
    ['localhost:8080:80', /"localhost" is not an IPv4 address/],
    ['300.0.0.1:8080:80', /"300.0.0.1" is not an IPv4 address/],
    ['127.0.0.1:80', /write both colons \(127\.0\.0\.1::80 for a free host port\)/],
    ['[::1]:8080:80', /IPv6 host addresses are not supported/],
    ['::1:8080:80', /IPv6 host addresses are not supported/],
    ['2001:db8::1:8080:80/udp', /IPv6 host addresses are not supported/],
    ['1:2:3:4', /expected \[IP:\]\[HOST:\]CONTAINER\[\/tcp\|\/udp\]/],
    [' 80', /the container port must be a number/],
    ['8080:80x', /the container port must be a number/],
  ];
  for (const [text, message] of invalid) {
    it(`refuses "${text}" in one sentence`, () => {
      const parsed = parsePortSpec(text);
      assert.ok(!parsed.ok);
      assert.ok(parsed.message.startsWith(`invalid port "${text}": `), parsed.message);
      assert.match(parsed.message, message);
      assert.doesNotMatch(parsed.message, /\n/);
    });
  }
});

describe('hostPortName', () => {
  it('names a host port as messages show it, udp marked', () => {
    assert.equal(hostPortName({ hostIp: '127.0.0.1', hostPort: 8080, protocol: 'tcp' }), '127.0.0.1:8080');
    assert.equal(hostPortName({ hostIp: '0.0.0.0', hostPort: 53, protocol: 'udp' }), '0.0.0.0:53/udp');
  });
});
