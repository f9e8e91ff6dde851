import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestOf } from '../digest/hashing.js';
import { isStevedoreError } from '../errors.js';
import { parseConfig, parseDocument } from './document.js';
import { describeMediaType, MediaType } from './mediaTypes.js';

const blob = (mediaType: string) => ({ mediaType, digest: digestOf(mediaType), size: 10 });

describe('manifests and indexes', () => {
  it('reads a Docker schema 2 manifest and labels it as such', () => {
    const doc = parseDocument(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: blob(MediaType.dockerConfig),
        layers: [blob(MediaType.dockerLayerGzip)],
      }),
    );
    assert.equal(doc.kind, 'manifest');
    assert.equal(describeMediaType(doc.mediaType), 'Docker image manifest (schema 2)');
  });

  it('reads a Docker manifest list as an index', () => {
    const doc = parseDocument(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerManifestList, manifests: [] }));
    assert.equal(doc.kind, 'index');
  });

  it('refuses schema 1 with a sentence that says why', () => {
    assert.throws(
      () => parseDocument(JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] })),
      (err) => isStevedoreError(err) && err.code === 'UNSUPPORTED_MEDIA_TYPE' && /schema 1/.test(err.message),
    );
  });

  it('names the field that makes a manifest invalid', () => {
    assert.throws(
      () =>
        parseDocument(
          JSON.stringify({ schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:nope', size: 1 }, layers: [] }),
        ),
      (err) => isStevedoreError(err) && err.code === 'INVALID_MANIFEST' && /config\.digest/.test(err.message),
    );
    assert.throws(() => parseDocument('not json'), /not valid JSON/);
  });

  it('refuses a manifest whose own media type contradicts its descriptor', () => {
    const text = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
    assert.throws(() => parseDocument(text, MediaType.ociManifest), /differs/);
  });

  it('requires a config to say what its layers are', () => {
    assert.throws(() => parseConfig(JSON.stringify({ architecture: 'amd64', os: 'linux' })), /rootfs/);
  });
});
