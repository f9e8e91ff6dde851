import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIREWALL_CHECK_TTL_MS, isFreshCheck } from './firewallCheck.js';

describe('a look at the host firewall stands in for the next ones', () => {
  const now = 1_800_000_000_000;
  const check = { bootId: 'boot-a', checkedAt: now - 1000, note: null };

  it('within the TTL, in the same boot', () => {
    assert.equal(isFreshCheck(check, now, 'boot-a'), true);
    assert.equal(isFreshCheck({ ...check, note: 'the host’s firewall drops forwarded traffic' }, now, 'boot-a'), true);
  });

  it('not after the TTL, after a reboot, from the future, nor when it is not one', () => {
    assert.equal(isFreshCheck({ ...check, checkedAt: now - FIREWALL_CHECK_TTL_MS }, now, 'boot-a'), false);
    assert.equal(isFreshCheck(check, now, 'boot-b'), false);
    assert.equal(isFreshCheck({ ...check, checkedAt: now + 1 }, now, 'boot-a'), false);
    for (const bad of [null, 'x', [], {}, { ...check, note: 3 }, { ...check, checkedAt: '1' }]) {
      assert.equal(isFreshCheck(bad, now, 'boot-a'), false, JSON.stringify(bad));
    }
  });
});
