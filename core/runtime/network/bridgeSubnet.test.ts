import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstFreeAddress, macForAddress, prefixesOverlap } from './bridgeSubnet.js';

describe('the bridge subnet', () => {
  it('gives the lowest free address, never the network, the gateway or the broadcast address', () => {
    assert.equal(firstFreeAddress(new Set()), '10.213.0.2');
    assert.equal(firstFreeAddress(new Set(['10.213.0.2', '10.213.0.4'])), '10.213.0.3');
    const all = new Set<string>();
    for (let n = 2; n < 65535; n++) all.add(`10.213.${Math.floor(n / 256)}.${n % 256}`);
    assert.equal(firstFreeAddress(all), undefined);
    all.delete('10.213.1.0');
    assert.equal(firstFreeAddress(all), '10.213.1.0');
  });

  it('derives the MAC address from the IP address, locally administered', () => {
    assert.equal(macForAddress('10.213.1.255'), '02:53:0a:d5:01:ff');
  });

  it('tells overlapping prefixes', () => {
    assert.equal(prefixesOverlap('10.213.5.0', 24, '10.213.0.0', 16), true);
    assert.equal(prefixesOverlap('10.0.0.0', 8, '10.213.0.0', 16), true);
    assert.equal(prefixesOverlap('10.212.0.0', 16, '10.213.0.0', 16), false);
    assert.equal(prefixesOverlap('192.0.2.0', 24, '10.213.0.0', 16), false);
  });
});
