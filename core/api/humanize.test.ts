import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPort } from './humanize.js';

describe('formatPort', () => {
  const port = (hostIp: string, protocol: 'tcp' | 'udp' = 'tcp') => ({ hostIp, hostPort: 8080, containerPort: 80, protocol });

  it('prints a published port as docker ps does', () => {
    assert.equal(formatPort(port('127.0.0.1')), '127.0.0.1:8080->80/tcp');
    assert.equal(formatPort(port('0.0.0.0', 'udp')), '0.0.0.0:8080->80/udp');
  });

  it('prints no address as every interface', () => {
    assert.equal(formatPort(port('')), '0.0.0.0:8080->80/tcp');
  });
});
