import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestOf } from '../digest/hashing.js';
import type { Descriptor } from './descriptor.js';
import { parsePlatform, platformMatches, selectPlatformManifest } from './platform.js';

const entry = (architecture: string, variant?: string): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: digestOf(`${architecture}${variant ?? ''}`),
  size: 1,
  platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
});

describe('platforms', () => {
  it('parses os/arch[/variant] and normalizes aliases', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/aarch64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.throws(() => parsePlatform('linux'), /os\/arch/);
  });

  it('matches arm64 with or without the implied v8 variant, and never another architecture', () => {
    assert.ok(platformMatches(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64' }));
    assert.ok(!platformMatches(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'arm64' }));
    assert.ok(!platformMatches(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v6' }));
  });

  it('picks the exact variant from an index before a merely compatible one', () => {
    const list = [entry('amd64'), entry('arm', 'v6'), entry('arm', 'v7')];
    assert.equal(selectPlatformManifest(list, parsePlatform('linux/arm/v7'))?.platform?.variant, 'v7');
    assert.equal(selectPlatformManifest(list, parsePlatform('linux/amd64'))?.platform?.architecture, 'amd64');
    assert.equal(selectPlatformManifest(list, parsePlatform('linux/s390x')), undefined);
  });
});
