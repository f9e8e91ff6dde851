import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseSubnet, gatewayOf, parseSubnet, subnetConflict } from './subnetChoice.js';

test('parseSubnet takes a network address and refuses host bits, IPv6 and odd prefixes', () => {
  assert.deepEqual(parseSubnet('10.220.0.0/24'), { subnet: '10.220.0.0', prefixLength: 24 });
  assert.throws(() => parseSubnet('10.220.0.5/24'), /network address is 10.220.0.0\/24/);
  assert.throws(() => parseSubnet('fd00::/64'), /invalid subnet/);
  assert.throws(() => parseSubnet('10.0.0.0/30'), /prefix 8 to 29/);
  assert.throws(() => parseSubnet('300.1.1.0/24'), /invalid subnet/);
  assert.equal(gatewayOf({ subnet: '10.220.0.0', prefixLength: 24 }), '10.220.0.1');
});

test('chooseSubnet skips what is taken and never the default bridge', () => {
  assert.deepEqual(chooseSubnet([]), { subnet: '10.214.0.0', prefixLength: 24 });
  const taken = [
    { what: 'network a', subnet: { subnet: '10.214.0.0', prefixLength: 24 } },
    { what: "the host's route", subnet: { subnet: '10.214.1.0', prefixLength: 25 } },
  ];
  assert.deepEqual(chooseSubnet(taken), { subnet: '10.214.2.0', prefixLength: 24 });
  assert.equal(subnetConflict({ subnet: '10.213.5.0', prefixLength: 24 }, []), 'the default bridge');
  assert.equal(subnetConflict({ subnet: '10.0.0.0', prefixLength: 8 }, taken), 'the default bridge');
  assert.equal(chooseSubnet([{ what: 'all', subnet: { subnet: '10.214.0.0', prefixLength: 15 } }]), undefined);
});
