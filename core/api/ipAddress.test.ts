import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { isIPv4, isIPv6 } from './ipAddress.js';

const samples = [
  '',
  '0.0.0.0',
  '127.0.0.1',
  '255.255.255.255',
  '256.0.0.1',
  '300.0.0.1',
  '01.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  ' 1.2.3.4',
  '1.2.3.4 ',
  'localhost',
  '١.٢.٣.٤',
  '::',
  '::1',
  '[::1]',
  '1:2',
  '1:2:3',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1::8',
  '1::2::3',
  'fe80::1%eth0',
  'fe80::1%',
  '::ffff:127.0.0.1',
  '::ffff:256.0.0.1',
  '2001:db8::1',
  '2001:DB8:0:0:0:0:0:1',
  '12345::1',
  'g::1',
  '1.2.3.04',
  '0x7f.0.0.1',
  '127.1',
  '1:2:3:4:5:6:7::',
  '2001:db8::/32',
  '1.2.3.4/8',
  'fe80::%25eth0',
];

describe('isIPv4 and isIPv6 read addresses as node:net does', () => {
  for (const text of samples) {
    it(JSON.stringify(text), () => {
      assert.equal(isIPv4(text), net.isIPv4(text), 'isIPv4');
      assert.equal(isIPv6(text), net.isIPv6(text), 'isIPv6');
    });
  }
});
