import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSubnet } from '../runtime/network/subnetChoice.js';
import { checkNetworkName, parseSubnetText } from './networkSpec.js';

describe('networkSpec', () => {
  it('reads a subnet as the engine does: the same value or the same sentence', () => {
    for (const text of [
      '10.220.0.0/24',
      '10.220.0.9/24',
      '192.168.0.0/16',
      '10.0.0.0/8',
      '10.0.0.0/7',
      '10.0.0.0/30',
      '010.1.0.0/16',
      '256.1.1.0/24',
      '10.1.1.0',
      '10.1.1.0/',
      ' 10.1.1.0/24',
      'fd00::/64',
      '',
    ]) {
      let engine: { ok: true; value: unknown } | { ok: false; message: string };
      try {
        engine = { ok: true, value: parseSubnet(text) };
      } catch (err) {
        engine = { ok: false, message: (err as Error).message };
      }
      assert.deepEqual(parseSubnetText(text), engine, text);
    }
  });

  it('refuses the names the engine refuses', () => {
    assert.equal(checkNetworkName('backend'), null);
    assert.equal(checkNetworkName('a'), null);
    assert.equal(checkNetworkName('my_net.2-b'), null);
    assert.equal(checkNetworkName('bad name'), 'invalid network name "bad name": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
    assert.equal(checkNetworkName('-x'), 'invalid network name "-x": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
    assert.equal(checkNetworkName(''), 'invalid network name "": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
    assert.equal(checkNetworkName('host'), 'network with name host already exists (it is built in)');
  });
});
