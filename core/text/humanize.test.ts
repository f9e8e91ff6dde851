import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerStatus, formatBinaryBytes, formatCount, formatPort } from './humanize.js';

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

describe('containerStatus and formatBinaryBytes (docker ps, docker stats)', () => {
  const now = Date.parse('2026-01-01T00:03:00Z');
  const started = { startedAt: '2026-01-01T00:00:00Z', finishedAt: null, exitCode: null };
  it('says a paused container is up, paused, as docker ps does', () => {
    assert.equal(containerStatus({ state: 'paused', ...started }, now), 'Up 3 minutes (Paused)');
    assert.equal(containerStatus({ state: 'running', ...started }, now), 'Up 3 minutes');
  });
  it('adds the health check’s verdict as docker ps does, only while it runs', () => {
    const health = (state: string, h: string | null) => containerStatus({ state, ...started, health: h }, now);
    assert.deepEqual(
      [health('running', 'healthy'), health('running', 'starting'), health('running', 'unhealthy'), health('running', null)],
      ['Up 3 minutes (healthy)', 'Up 3 minutes (health: starting)', 'Up 3 minutes (unhealthy)', 'Up 3 minutes'],
    );
    assert.equal(health('paused', 'healthy'), 'Up 3 minutes (Paused)');
  });
  it('prints memory in binary units with four significant digits', () => {
    assert.deepEqual([0, 1000, 250_000, 1_626_000, 8 * 1024 ** 3, 25_272_000_000].map(formatBinaryBytes), [
      '0B',
      '1000B',
      '244.1KiB',
      '1.551MiB',
      '8GiB',
      '23.54GiB',
    ]);
  });
});

describe('formatCount', () => {
  it('groups thousands with commas, as the app writes "1,000 images"', () => {
    assert.deepEqual([0, 7, 999, 1000, 12345, 1234567, -2500].map(formatCount), [
      '0',
      '7',
      '999',
      '1,000',
      '12,345',
      '1,234,567',
      '-2,500',
    ]);
  });
  it('leaves what is not a whole count as it is', () => {
    assert.equal(formatCount(2.5), '2.5');
    assert.equal(formatCount(Number.NaN), 'NaN');
  });
});
