import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { readSecretFlag, secretUse } from './buildSecrets.js';

const work = tempDir();
const root = join(work, 'store');
const SECRET = 'hunter2-do-not-keep-me';

describe('--secret', () => {
  it('reads id=…,src=FILE, id=…,env=VAR, and id=NAME alone from the variable NAME', () => {
    const file = join(work, 'token.txt');
    writeFileSync(file, 'from a file');
    assert.deepEqual(readSecretFlag(`id=tok,src=${file}`), { id: 'tok', value: Buffer.from('from a file') });
    assert.deepEqual(readSecretFlag(`source=${file}`).id, 'token.txt');
    assert.deepEqual(readSecretFlag('id=tok,env=MY_TOKEN', { MY_TOKEN: 'from env' }), {
      id: 'tok',
      value: Buffer.from('from env'),
    });
    assert.deepEqual(readSecretFlag('id=GITHUB_TOKEN', { GITHUB_TOKEN: 'gh' }), { id: 'GITHUB_TOKEN', value: Buffer.from('gh') });
    for (const [spec, message] of [
      ['id=tok,env=UNSET_VAR', 'secret tok: the environment variable UNSET_VAR is not set'],
      [`id=tok,src=${join(work, 'missing')}`, `secret tok: cannot read ${join(work, 'missing')}: ENOENT`],
      ['id=tok,bogus=1', 'invalid --secret "id=tok,bogus=1": unexpected key "bogus"'],
    ]) {
      assert.throws(
        () => readSecretFlag(spec as string, {}),
        (err: unknown) => err instanceof StevedoreError && err.message === message,
      );
    }
  });

  it('mounts at /run/secrets/<id> by default, 0400 root’s; `source` is the id; env= alone is no file', () => {
    assert.deepEqual(secretUse({ id: 'tok' }), {
      id: 'tok',
      target: '/run/secrets/tok',
      required: false,
      mode: 0o400,
      uid: 0,
      gid: 0,
    });
    assert.equal(secretUse({ source: 'npmrc', target: '/root/.npmrc' }).id, 'npmrc');
    assert.equal(secretUse({ target: '/root/.netrc' }).id, '.netrc');
    assert.deepEqual(secretUse({ id: 'tok', env: 'TOKEN' }).target, undefined);
  });
});

describe('RUN --mount=type=secret, built by the engine', () => {
  before(async () => {
    await loadBoxImage(root, work);
  });

  it('the app’s builds.start takes secret files by id, read on the engine’s machine and recorded nowhere', async () => {
    const ctx = join(work, 'ctx-files');
    mkdirSync(ctx);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      // Compared with the context's copy, not copied: the store must hold the secret nowhere.
      'FROM box:v1\nRUN --mount=type=secret,id=tok,required=true --mount=type=bind,target=/ctx test "$(cat /run/secrets/tok)" = "$(cat /ctx/expected)" && echo same > /same\n',
    );
    writeFileSync(join(ctx, 'expected'), SECRET);
    const file = join(work, 'secret-file');
    writeFileSync(file, SECRET);
    const engine = new Engine(root);
    const { buildId, done } = engine.recordedBuild({ contextDir: ctx, tags: ['secret-files:1'], secretFiles: { tok: file } });
    await done;
    const out = join(work, 'unpacked-files');
    assert.equal(stevedore(root, ['unpack', 'secret-files:1', out]).code, 0);
    assert.equal(readFileSync(join(out, 'same'), 'utf8'), 'same\n');
    assert.ok(!JSON.stringify(engine.builds.get(buildId)).includes(file), 'the build record names no secret file');
  });

  it('gives the step the secret, as a file and as a variable, and keeps it out of every layer, the history and the config', async () => {
    const ctx = join(work, 'ctx');
    mkdirSync(ctx);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        'FROM box:v1',
        // The value to compare with comes from the context through a bind mount: the Dockerfile's
        // own text is in the history, so it must not hold the secret.
        'RUN --mount=type=secret,id=tok --mount=type=secret,id=tok,env=TOKEN,target=/elsewhere/tok,uid=1000,mode=0440 \\',
        '    --mount=type=bind,target=/ctx \\',
        '    test "$(cat /run/secrets/tok)" = "$(cat /ctx/expected)" && test "$TOKEN" = "$(cat /ctx/expected)" && ls -ln /run/secrets/tok /elsewhere/tok > /listing',
        'RUN --mount=type=secret,id=absent test ! -e /run/secrets/absent && echo skipped > /skipped',
      ].join('\n'),
    );
    writeFileSync(join(ctx, 'expected'), SECRET);
    const before = snapshotTree(ctx);
    const engine = new Engine(root);
    const result = await engine.build(
      { contextDir: ctx, tags: ['secret:1'], buildArgs: {}, noCache: true, secrets: { tok: Buffer.from(SECRET) } },
      { step: () => undefined, output: () => undefined },
    );
    assert.deepEqual(snapshotTree(ctx), before);
    const out = join(work, 'unpacked');
    const r = stevedore(root, ['unpack', 'secret:1', out]);
    assert.equal(r.code, 0, r.stderr);
    const listing = readFileSync(join(out, 'listing'), 'utf8');
    assert.match(listing, /^-r-------- +1 0 +0 .* \/run\/secrets\/tok$/m);
    assert.match(listing, /^-r--r----- +1 1000 +0 .* \/elsewhere\/tok$/m);
    assert.equal(readFileSync(join(out, 'skipped'), 'utf8'), 'skipped\n');
    const tree = snapshotTree(out);
    assert.ok(
      !Object.keys(tree).some((p) => p.startsWith('run') || p.startsWith('elsewhere')),
      'the mount points are no part of the image',
    );
    // Nothing the store keeps holds the secret: no layer (uncompressed), config (history, env) or cache entry.
    const blobs = join(root, 'oci', 'blobs', 'sha256');
    for (const name of readdirSync(blobs)) {
      let bytes = readFileSync(join(blobs, name));
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      assert.ok(!bytes.includes(SECRET), `blob ${name} holds the secret`);
    }
    const kept = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? kept(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
      );
    for (const file of kept(root).filter((f) => !f.includes('/oci/blobs/') && !f.includes('/snapshots/'))) {
      assert.ok(!readFileSync(file).includes(SECRET), `${file} holds the secret`);
    }
    assert.match(result.imageId, /^sha256:/);
  });

  it('refuses a required secret that was not given, in one line', async () => {
    const ctx = join(work, 'ctx-required');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM box:v1\nRUN --mount=type=secret,id=needed,required true\n');
    const engine = new Engine(root);
    await assert.rejects(
      engine.build(
        { contextDir: ctx, tags: [], buildArgs: {}, noCache: true },
        { step: () => undefined, output: () => undefined },
      ),
      (err: unknown) =>
        err instanceof StevedoreError && err.message === 'secret needed: not provided (give it with --secret id=needed,src=FILE)',
    );
  });
});
