import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageSummary } from '../../../../../core/api/images.schema';
import { resultImageKey } from './resultImageKey';

const image = (id: string, reference: string | null): ImageSummary => ({
  id,
  reference,
  repository: reference ?? '<none>',
  tag: '',
  digest: `sha256:manifest-of-${id}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  created: null,
  size: 0,
  sharedSize: 0,
  layers: 1,
  platform: { os: 'linux', architecture: 'amd64' },
});

describe('the Images row of a built image', () => {
  const images = [
    image('sha256:a', 'docker.io/library/other:1'),
    image('sha256:a', 'docker.io/library/built:one'),
    image('sha256:b', null),
  ];
  it('prefers the build’s own tag, normalized', () => {
    assert.equal(resultImageKey(images, 'sha256:a', ['built:one']), 'docker.io/library/built:one');
  });
  it('falls back to any row of that image, then to its digest when untagged', () => {
    assert.equal(resultImageKey(images, 'sha256:a', ['moved:on']), 'docker.io/library/other:1');
    assert.equal(resultImageKey(images, 'sha256:b', []), 'sha256:manifest-of-sha256:b');
  });
  it('is null when the store no longer has the image', () => {
    assert.equal(resultImageKey(images, 'sha256:c', ['built:one']), null);
  });
});
