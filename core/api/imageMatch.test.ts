import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type MatchableImage, matchImage } from './imageMatch.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const images: (MatchableImage & { label: string })[] = [
  { label: 'busybox', names: ['docker.io/library/busybox:latest'], id: d('a'), digests: [d('1'), d('1')] },
  { label: 'app-gzip', names: ['registry.example:5000/app:1'], id: d('b'), digests: [d('2'), d('2')] },
  { label: 'app-zstd', names: [], id: d('b'), digests: [d('3'), d('4')] },
];
const find = (text: string, forRootfs = false) => {
  const m = matchImage(images, text, (i) => i, { forRootfs });
  return m.kind === 'found'
    ? m.image.label
    : m.kind === 'ambiguous'
      ? `ambiguous ${m.images.length}`
      : `none${m.badName ? ' (bad name)' : ''}`;
};

it('finds an image as docker does: name, repo@digest, ID prefix, index or manifest digest', () => {
  assert.equal(find('busybox'), 'busybox');
  assert.equal(find('docker.io/library/busybox'), 'busybox');
  assert.equal(find(`registry.example:5000/app@${d('2')}`), 'app-gzip');
  assert.equal(find('aaa'), 'busybox');
  assert.equal(find(`sha256:${'a'.repeat(12)}`), 'busybox');
  assert.equal(find('4'.repeat(64)), 'app-zstd', 'a manifest digest, whole');
  assert.equal(find('44'), 'none', 'fewer than three digits is no prefix');
});

it('says when a prefix means several images, unless what is wanted is what they run alike', () => {
  assert.equal(find('bbb'), 'ambiguous 2');
  assert.equal(find('bbb', true), 'app-gzip', 'one config: either runs the same; the first by digest');
});

it('tells a name that is not a reference from one that is simply absent', () => {
  assert.equal(find('nosuch:1'), 'none');
  assert.equal(find('Upper:Case'), 'none (bad name)');
});
