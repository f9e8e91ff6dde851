import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { portHost, portUrl } from './portAddress';

const port = (hostIp: string, protocol: 'tcp' | 'udp' = 'tcp') => ({ hostIp, hostPort: 8080, containerPort: 80, protocol });

describe('port links', () => {
  it('shows every-interface addresses as localhost', () => {
    assert.equal(portUrl(port('0.0.0.0')), 'http://localhost:8080');
    assert.equal(portUrl(port('')), 'http://localhost:8080');
    assert.equal(portUrl(port('::')), 'http://localhost:8080');
  });

  it('keeps a specific address, IPv6 in brackets', () => {
    assert.equal(portUrl(port('127.0.0.1')), 'http://127.0.0.1:8080');
    assert.equal(portHost(port('::1')), '[::1]');
  });

  it('gives no link for UDP', () => {
    assert.equal(portUrl(port('0.0.0.0', 'udp')), null);
  });
});
