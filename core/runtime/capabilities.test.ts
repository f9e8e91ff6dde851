import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allCapabilities, containerCapabilities, DEFAULT_CAPABILITIES } from './capabilities.js';

describe('--cap-add, --cap-drop, --privileged (moby’s TweakCapabilities)', () => {
  test('no flags: docker’s defaults', () => {
    assert.deepEqual(containerCapabilities([], [], false), DEFAULT_CAPABILITIES);
  });
  test('names with or without CAP_, any case', () => {
    const caps = containerCapabilities(['net_admin', 'CAP_NET_BROADCAST'], ['chown', 'CAP_KILL'], false);
    assert.ok(caps.includes('CAP_NET_ADMIN') && caps.includes('CAP_NET_BROADCAST'));
    assert.ok(!caps.includes('CAP_CHOWN') && !caps.includes('CAP_KILL'));
    assert.ok(caps.includes('CAP_SETUID'));
  });
  test('ALL: drop all then add; add all but the dropped; privileged has all', () => {
    assert.deepEqual(containerCapabilities(['CHOWN'], ['ALL'], false), ['CAP_CHOWN']);
    assert.deepEqual(containerCapabilities([], ['all'], false), []);
    const everything = allCapabilities();
    assert.deepEqual(
      containerCapabilities(['ALL'], ['NET_RAW'], false),
      everything.filter((c) => c !== 'CAP_NET_RAW'),
    );
    assert.deepEqual(containerCapabilities([], ['ALL'], true), everything);
  });
  test('an unknown name is refused, naming it', () => {
    assert.throws(() => containerCapabilities(['NOT_A_CAP'], [], false), /unknown capability in --cap-add: "NOT_A_CAP"/);
    assert.throws(() => containerCapabilities([], ['FLY'], false), /unknown capability in --cap-drop: "FLY"/);
  });
});
