import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import { digestOf } from '../digest/hashing.js';
import { isStevedoreError } from '../errors.js';
import { MediaType } from '../oci/mediaTypes.js';
import { ingestBytes } from '../store/ingest.js';
import { Store } from '../store/store.js';
import { LayerApplier } from './apply.js';
import { UnpackLimitError } from './decompress.js';
import { applyStoredLayer } from './unpack.js';

/** Applies layers in order into `root`, as unpack does; returns the first error, if any. */
async function applyLayers(root: string, layers: Buffer[]): Promise<Error | undefined> {
  try {
    for (const layer of layers) {
      const applier = new LayerApplier(root, { preserveOwnership: true });
      const extract = tarExtract();
      Readable.from([layer]).pipe(extract);
      for await (const entry of extract) await applier.apply({ header: entry.header, body: entry as unknown as Readable });
      applier.finish();
    }
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

const sym = (path: string, linkname: string): LayerEntry => ({ path, type: 'symlink', linkname });
const hard = (path: string, linkname: string): LayerEntry => ({ path, type: 'link', linkname });
const file = (path: string, content = 'pwned'): LayerEntry => ({ path, content });

describe('hostile layers cannot touch anything outside the root', () => {
  const work = tempDir();
  // The sentinel sits where a `..` from the root would land, and at the absolute path
  // symlinks name, so any escape would change it.
  const sentinel = join(work, 'sentinel');
  let sentinelBefore: ReturnType<typeof snapshotTree>;
  let etcBefore: ReturnType<typeof snapshotTree>;
  let n = 0;
  const freshRoot = () => {
    const root = join(work, 'roots', `r${n++}`, 'rootfs');
    mkdirSync(root, { recursive: true });
    return root;
  };

  before(() => {
    mkdirSync(sentinel);
    writeFileSync(join(sentinel, 'secret'), 'do not touch');
    mkdirSync(join(sentinel, 'sub'));
    writeFileSync(join(sentinel, 'sub', 'file'), 'nor this');
    sentinelBefore = snapshotTree(sentinel);
    etcBefore = snapshotTree('/etc');
  });

  const refused: [string, LayerEntry[][], RegExp][] = [
    ['a ../ entry', [[file('../../../sentinel/secret')]], /climbs out/],
    ['a ../ hidden in the middle', [[file('a/../../sentinel/secret')]], /climbs out/],
    [
      'a hard link climbing out',
      [[hard('steal', '../../../sentinel/secret')]],
      /^refusing layer entry "steal": its hard link target "\.\.\/\.\.\/\.\.\/sentinel\/secret" climbs out/,
    ],
    [
      'a hard link to an absolute path outside',
      [[hard('steal', `${sentinel}/secret`)]],
      /hard link target .* is not in the image/,
    ],
    ['a hard link through a symlink to outside', [[sym('out', sentinel), hard('steal', 'out/secret')]], /not in the image/],
    ['a whiteout climbing out', [[file('../../sentinel/.wh.secret', '')]], /climbs out/],
    ['a symlink loop', [[sym('loop', 'loop'), file('loop/x')]], /too many symbolic links/],
  ];
  for (const [name, layers, why] of refused) {
    it(`refuses ${name}, naming the entry`, async () => {
      const err = await applyLayers(freshRoot(), await Promise.all(layers.map(makeLayer)));
      assert.ok(err && isStevedoreError(err), `expected a refusal, got ${err}`);
      assert.match(err.message, why);
    });
  }

  const confined: [string, LayerEntry[][], (root: string) => void][] = [
    ['an absolute entry name', [[file(`${sentinel}/secret`)]], (r) => assertFile(r, `${sentinel.slice(1)}/secret`)],
    [
      'an absolute symlink in a parent',
      [[sym('link', sentinel), file('link/secret')]],
      (r) => assertFile(r, `${sentinel.slice(1)}/secret`),
    ],
    [
      'a relative symlink climbing out in a parent',
      [[sym('rel', '../../../../../../../sentinel'), file('rel/secret')]],
      (r) => assertFile(r, 'sentinel/secret'),
    ],
    ['a symlink to the root itself', [[sym('top', '/'), file('top/etc/passwd')]], (r) => assertFile(r, 'etc/passwd')],
    ['a symlink like "."', [[sym('dot', '.'), file('dot/dot/x')]], (r) => assertFile(r, 'x')],
    [
      'a chain of symlinks ending outside',
      [[sym('a', 'b'), sym('b', `${sentinel}/sub`), file('a/file')]],
      (r) => assertFile(r, `${sentinel.slice(1)}/sub/file`),
    ],
    ['a whiteout through a symlink', [[sym('w', sentinel), file('w/.wh.secret', '')]], () => undefined],
    ['an opaque marker through a symlink', [[sym('o', sentinel), file('o/.wh..wh..opq', '')]], () => undefined],
    [
      'a file written over a symlink to outside',
      [[sym('passwd', `${sentinel}/secret`)], [file('passwd', 'replaced')]],
      (r) => assertFile(r, 'passwd', 'replaced'),
    ],
    [
      'a directory entry over a symlink to outside',
      [[sym('d', sentinel)], [{ path: 'd/', type: 'directory', mode: 0o777 }]],
      (r) => assert.equal(snapshotTree(r).d?.type, 'dir'),
    ],
    [
      'a symlink in a later layer over a directory',
      [[{ path: 'etc/', type: 'directory' }], [sym('etc', sentinel), file('etc/secret')]],
      (r) => assertFile(r, `${sentinel.slice(1)}/secret`),
    ],
  ];
  for (const [name, layers, check] of confined) {
    it(`confines ${name}`, async () => {
      const root = freshRoot();
      const err = await applyLayers(root, await Promise.all(layers.map(makeLayer)));
      assert.equal(err, undefined, String(err));
      check(root);
      assert.deepEqual(snapshotTree(sentinel), sentinelBefore);
    });
  }

  function assertFile(root: string, path: string, content = 'pwned'): void {
    const entry = snapshotTree(root)[path];
    assert.equal(entry?.type, 'file', `${path} was written inside the root`);
    assert.equal(entry?.sha256, digestOf(content).slice(7));
  }

  it('stops a decompression bomb at the size cap with a clear error', async () => {
    const store = Store.open(join(work, 'store'));
    const bomb = gzipSync(await makeLayer([file('zeros', '\0'.repeat(64 << 20))]));
    const lease = store.newLease();
    const { digest, size } = await ingestBytes(store.layout, bomb, {}, lease);
    const root = freshRoot();
    await assert.rejects(
      applyStoredLayer(store, { mediaType: MediaType.ociLayerGzip, digest, size }, undefined, [root], {
        maxBytes: 8 << 20,
        what: 'layer 1',
      }),
      (err: Error) => {
        assert.ok(err instanceof UnpackLimitError);
        assert.equal(err.message, 'layer 1 expands past the unpack limit of 8388608 bytes (a decompression bomb?)');
        // What `stevedore unpack`, the command with --max-size, says.
        assert.equal(
          err.withHint('raise it with --max-size').message,
          'layer 1 expands past the unpack limit of 8388608 bytes (a decompression bomb?); raise it with --max-size',
        );
        return true;
      },
    );
    lease.release();
  });

  it('refuses a layer whose content does not match its diff ID', async () => {
    const store = Store.open(join(work, 'store'));
    const layer = await makeLayer([file('a', 'a')]);
    const lease = store.newLease();
    const { digest, size } = await ingestBytes(store.layout, layer, {}, lease);
    await assert.rejects(
      applyStoredLayer(store, { mediaType: MediaType.ociLayer, digest, size }, digestOf('other'), [freshRoot()], {
        maxBytes: 1 << 30,
        what: 'layer 1',
      }),
      /digest mismatch for layer 1 \(diff ID\)/,
    );
    lease.release();
  });

  it('left the sentinel directory and /etc exactly as they were', () => {
    assert.deepEqual(snapshotTree(sentinel), sentinelBefore);
    assert.deepEqual(snapshotTree('/etc'), etcBefore);
  });
});

describe('deferred directory metadata is never applied through a link', () => {
  const work = tempDir();
  // A host file made like a binary worth attacking, and a host directory holding a `q`.
  const victim = join(work, 'host', 'victim');
  const victimDir = join(work, 'host', 'dir');
  const hostileDir = { type: 'directory' as const, mode: 0o4777, uid: 4242, gid: 4242 };
  let n = 0;
  const freshRoot = () => {
    const root = join(work, 'roots', `r${n++}`);
    mkdirSync(root, { recursive: true });
    return root;
  };
  const metadata = (path: string) => {
    const st = lstatSync(path);
    return { mode: (st.mode & 0o7777).toString(8), uid: st.uid, gid: st.gid, mtime: st.mtimeMs };
  };
  const watched = () => [victim, victimDir, join(victimDir, 'q')].map(metadata);
  let hostBefore: ReturnType<typeof watched>;

  // Set anew before each case, so that each case shows on its own whether it changed the host.
  beforeEach(() => {
    mkdirSync(join(victimDir, 'q'), { recursive: true });
    writeFileSync(victim, '#!/bin/sh\n');
    for (const p of [victim, victimDir, join(victimDir, 'q')]) {
      chmodSync(p, 0o755);
      chownSync(p, 0, 0);
      utimesSync(p, 1_000_000, 1_000_000);
    }
    hostBefore = watched();
  });

  const cases: [string, LayerEntry[][]][] = [
    ['a directory replaced by a symlink in the same layer', [[{ path: 'd/', ...hostileDir }, sym('d', victim)]]],
    [
      'a directory from an earlier layer, given metadata then replaced by a symlink',
      [[{ path: 'd/', type: 'directory' }], [{ path: 'd/', ...hostileDir }, sym('d', victim)]],
    ],
    [
      'a directory whose parent is replaced by a symlink',
      [[{ path: 'p/', type: 'directory' }, { path: 'p/q/', ...hostileDir }, sym('p', victimDir)]],
    ],
    [
      'a directory replaced by a hard link to a hard link to a symlink',
      [[sym('a', victim), hard('b', 'a'), { path: 'd/', ...hostileDir }, hard('d', 'b')]],
    ],
    ['the root directory entry with a symlinked child', [[{ path: './', ...hostileDir }, sym('r', victimDir)]]],
  ];
  for (const [name, layers] of cases) {
    it(`leaves the host as it was: ${name}`, async () => {
      const root = freshRoot();
      const err = await applyLayers(root, await Promise.all(layers.map(makeLayer)));
      assert.equal(err, undefined, String(err));
      assert.deepEqual(watched(), hostBefore);
    });
  }

  it('still applies mode, owner and times to directories that stay directories', async () => {
    const root = freshRoot();
    const err = await applyLayers(root, [
      await makeLayer([{ path: 'x/', type: 'directory', mode: 0o1770, uid: 7, gid: 8 }, file('x/f')]),
    ]);
    assert.equal(err, undefined, String(err));
    const x = metadata(join(root, 'x'));
    assert.deepEqual(
      { ...x, mtime: new Date(x.mtime).toISOString() },
      {
        mode: '1770',
        uid: 7,
        gid: 8,
        mtime: '2024-01-01T00:00:00.000Z',
      },
    );
  });
});
