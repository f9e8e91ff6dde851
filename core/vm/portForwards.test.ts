import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PortMapping } from '../api/containers.schema.js';
import { shownPorts } from './portForwards.js';

describe('the ports shown for a container through the machine', () => {
  const forward: PortMapping = { hostIp: '127.0.0.1', hostPort: 18080, containerPort: 80, protocol: 'tcp' };
  const inGuest: PortMapping = { hostIp: '0.0.0.0', hostPort: 18080, containerPort: 80, protocol: 'tcp' };

  it('are the host’s forwards while it runs or is paused', () => {
    assert.deepEqual(
      shownPorts('running', () => [forward], [inGuest]),
      [forward],
    );
    assert.deepEqual(
      shownPorts('paused', () => [forward], [inGuest]),
      [forward],
    );
  });

  it('fall back to the guest’s while no forward is made', () => {
    assert.deepEqual(
      shownPorts('running', () => [], [inGuest]),
      [inGuest],
    );
  });

  it('are none while it is created (its forwards are made at start) or has exited, as a native container’s', () => {
    for (const state of ['created', 'exited'] as const)
      assert.deepEqual(
        shownPorts(state, () => [forward], []),
        [],
        state,
      );
  });
});
