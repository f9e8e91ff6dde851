import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { peer, stevedore } from '../../testkit/cli.js';
import { makeLayer } from '../../testkit/layers.js';
import { addIndex, layoutWithImages } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { hostPlatform } from '../oci/platform.js';
import { qemuName } from './foreignPlatform.js';

const work = tempDir();
const host = hostPlatform().architecture;
// The platform this machine is not: its image in the index has its own file.
const foreign = host === 'amd64' ? 'arm64' : 'amd64';
let registry: RunningRegistry;
let multi: string;
let made = 0;

function context(dockerfile: string): string {
  const dir = join(work, `ctx${++made}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'marker'), 'm\n');
  return dir;
}

/** Builds in a new store, tagged `out:1`; returns the store, the image's architecture and its root filesystem. */
function build(args: string[], dockerfile: string) {
  const root = join(work, `store${++made}`);
  const r = stevedore(root, ['build', '-q', '-t', 'out:1', ...args, context(dockerfile)]);
  assert.equal(r.code, 0, r.stderr);
  const inspected = stevedore(root, ['inspect', '--type', 'image', '--json', 'out:1']);
  assert.equal(inspected.code, 0, inspected.stderr);
  const dir = join(work, `rootfs${made}`);
  assert.equal(stevedore(root, ['unpack', 'out:1', dir]).code, 0);
  const { imageConfig } = JSON.parse(inspected.stdout) as { imageConfig: { architecture: string } };
  return { architecture: imageConfig.architecture, dir };
}

describe('build --platform: the FROM images of that platform (issue 16)', () => {
  before(async () => {
    registry = await startRegistry();
    const layout = join(work, 'layout');
    const [hostImage, foreignImage] = await layoutWithImages(layout, [
      { refName: 'host', layers: [await makeLayer([{ path: `${host}.txt`, content: host }])], architecture: host },
      { refName: 'foreign', layers: [await makeLayer([{ path: `${foreign}.txt`, content: foreign }])], architecture: foreign },
    ]);
    addIndex(layout, 'multi', [
      { image: hostImage!, platform: { os: 'linux', architecture: host } },
      { image: foreignImage!, platform: { os: 'linux', architecture: foreign } },
    ]);
    multi = `${registry.host}/e2e/multi:1`;
    peer('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${layout}:multi`, `docker://${multi}`]);
  });
  after(() => registry.stop());

  it('pulls the platform asked for from an index, and the image built is of that platform', () => {
    const mine = build([], `FROM ${multi}\nCOPY marker /marker\n`);
    assert.equal(mine.architecture, host);
    assert.ok(existsSync(join(mine.dir, `${host}.txt`)));
    const other = build(['--platform', `linux/${foreign}`], `FROM ${multi}\nCOPY marker /marker\n`);
    assert.equal(other.architecture, foreign);
    assert.ok(existsSync(join(other.dir, `${foreign}.txt`)));
    assert.ok(!existsSync(join(other.dir, `${host}.txt`)));
  });

  it('FROM --platform= picks the platform of that stage', () => {
    const other = build([], `FROM --platform=linux/${foreign} ${multi}\nCOPY marker /marker\n`);
    assert.equal(other.architecture, foreign);
    assert.ok(existsSync(join(other.dir, `${foreign}.txt`)));
  });

  it('a RUN step of a foreign platform without binfmt/qemu-user fails before any step runs, saying so', (t) => {
    if (existsSync(`/proc/sys/fs/binfmt_misc/qemu-${qemuName(foreign)}`)) {
      t.skip(`this machine runs ${foreign} binaries through binfmt_misc`);
      return;
    }
    const root = join(work, 'store-run');
    const dir = context(`FROM ${multi}\nCOPY marker /marker\nRUN true\n`);
    const r = stevedore(root, ['build', '--progress', 'plain', '--platform', `linux/${foreign}`, dir]);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stderr, /^#1 /m, 'no step ran');
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    assert.match(last, new RegExp(`linux/${foreign}`));
    assert.match(last, /binfmt_misc/);
    assert.match(last, new RegExp(`qemu-${qemuName(foreign)}`));
  });
});
