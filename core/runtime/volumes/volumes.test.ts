import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../../../testkit/cli.js';
import { loadBoxImage } from '../../../testkit/containerImages.js';
import { busyboxLayer, makeLayer } from '../../../testkit/layers.js';
import { tempDir } from '../../../testkit/tempDir.js';
import { snapshotTree } from '../../../testkit/treeSnapshot.js';

const work = tempDir();
const root = join(work, 'store');

const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const volumeNames = () => ok(['volume', 'ls', '-q']).split('\n').filter(Boolean);

describe('volumes: named, anonymous, image VOLUME lines, --mount, and their refusals (real runc)', () => {
  before(async () => {
    const applets = ['sh', 'cat', 'echo', 'ls', 'sleep', 'touch', 'true', 'grep', 'cut'];
    await loadBoxImage(root, work, [
      {
        refName: 'seeded',
        layers: [
          await busyboxLayer(applets),
          await makeLayer([
            { path: 'data/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
            { path: 'data/seed.txt', content: 'from the image\n' },
          ]),
        ],
      },
      {
        refName: 'declared',
        layers: [
          await busyboxLayer(applets),
          await makeLayer([
            { path: 'cache/', type: 'directory' },
            { path: 'cache/warm', content: 'warm\n' },
          ]),
        ],
        config: { Volumes: { '/cache': {} } },
      },
      {
        // The image's /data is a link out of it, to a directory of the host: a volume mounted there
        // must land inside the rootfs, and filling it must not copy the host's files.
        refName: 'linkdata',
        layers: [await busyboxLayer(applets), await makeLayer([{ path: 'data', type: 'symlink', linkname: `${work}/outside` }])],
      },
    ]);
  });

  after(() => {
    for (const id of ok(['ps', '-a', '-q', '--no-trunc']).split('\n').filter(Boolean)) stevedore(root, ['rm', '-f', id]);
  });

  it('a named volume is made on first use, filled from the image, and keeps its data across rm', () => {
    assert.equal(ok(['run', '--rm', '-v', 'keep:/data', 'box:seeded', 'cat', '/data/seed.txt']), 'from the image\n');
    const volume = JSON.parse(ok(['volume', 'inspect', 'keep']))[0] as { Name: string; Driver: string; Mountpoint: string };
    assert.deepEqual([volume.Name, volume.Driver], ['keep', 'local']);
    assert.equal(volume.Mountpoint, join(root, 'volumes', 'keep', '_data'));
    // docker copies the directory's own mode and owner too.
    const st = spawnSync('stat', ['-c', '%a %u', volume.Mountpoint], { encoding: 'utf8' }).stdout.trim();
    assert.equal(st, '750 1000');

    ok(['run', '--name', 'writer', '-v', 'keep:/data', 'box:seeded', 'sh', '-c', 'echo kept > /data/new']);
    ok(['rm', 'writer']);
    assert.deepEqual(volumeNames(), ['keep'], 'rm without -v keeps a named volume');
    assert.equal(ok(['run', '--rm', '-v', 'keep:/data', 'box:v1', 'cat', '/data/new']), 'kept\n');
    // Not empty now: it is not filled again, whatever image mounts it.
    assert.equal(ok(['run', '--rm', '-v', 'keep:/data', 'box:seeded', 'ls', '/data']), 'new\nseed.txt\n');
    ok(['volume', 'rm', 'keep']);
    assert.deepEqual(volumeNames(), []);
    // nocopy: docker leaves such a volume empty.
    assert.equal(ok(['run', '--rm', '-v', 'bare:/data:nocopy', 'box:seeded', 'ls', '/data']), '');
    ok(['volume', 'rm', 'bare']);
    assert.ok(!existsSync(join(root, 'volumes', 'keep')));
  });

  it('anonymous volumes (-v /path and the image’s VOLUME) go with run --rm and with rm -v, not with rm', () => {
    assert.equal(
      ok(['run', '--rm', '-v', '/scratch', 'box:declared', 'sh', '-c', 'cat /cache/warm; echo x > /scratch/f; ls /scratch']),
      'warm\nf\n',
    );
    assert.deepEqual(volumeNames(), [], 'run --rm removed both anonymous volumes');

    ok(['run', '--name', 'anon', 'box:declared', 'true']);
    const [made] = volumeNames();
    assert.match(made ?? '', /^[0-9a-f]{64}$/);
    const inspected = JSON.parse(ok(['inspect', '--json', 'anon'])) as { mounts: { name: string; target: string }[] };
    assert.deepEqual(
      inspected.mounts.map((m) => [m.name, m.target]),
      [[made, '/cache']],
    );
    ok(['rm', 'anon']);
    assert.deepEqual(volumeNames(), [made], 'docker rm keeps anonymous volumes');
    assert.match(ok(['volume', 'prune', '-f']), new RegExp(`^Deleted Volumes:\\n${made}\\n`));
    assert.deepEqual(volumeNames(), []);

    ok(['run', '--name', 'anon2', 'box:declared', 'true']);
    assert.equal(volumeNames().length, 1);
    ok(['rm', '-v', 'anon2']);
    assert.deepEqual(volumeNames(), [], 'rm -v removed it');
  });

  it('refuses to remove a volume a container uses, running or stopped, in docker’s words, and loses nothing', () => {
    ok(['volume', 'create', 'busy']);
    const id = ok([
      'run',
      '-d',
      '--name',
      'holder',
      '-v',
      'busy:/data',
      'box:v1',
      'sh',
      '-c',
      'echo held > /data/f; sleep 1000',
    ]).trim();
    const refused = stevedore(root, ['volume', 'rm', 'busy']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `error: remove busy: volume is in use - [${id}]\n`);
    ok(['stop', '-t', '0', 'holder']);
    assert.equal(stevedore(root, ['volume', 'rm', 'busy']).stderr, `error: remove busy: volume is in use - [${id}]\n`);
    assert.equal(readFileSync(join(root, 'volumes', 'busy', '_data', 'f'), 'utf8'), 'held\n');
    assert.equal(stevedore(root, ['volume', 'prune', '-a', '-f']).code, 0);
    assert.deepEqual(volumeNames(), ['busy'], 'prune -a leaves a volume in use');
    ok(['rm', 'holder']);
    assert.equal(ok(['volume', 'rm', 'busy']), 'busy\n');
    assert.match(stevedore(root, ['volume', 'rm', 'busy']).stderr, /^error: get busy: no such volume\n$/);
    assert.equal(stevedore(root, ['volume', 'rm', '-f', 'busy']).code, 0);
  });

  it('binds a relative ./dir, and --mount takes bind, volume (readonly) and tmpfs', () => {
    const here = join(work, 'here');
    mkdirSync(join(here, 'dir'), { recursive: true });
    writeFileSync(join(here, 'dir', 'in.txt'), 'relative\n');
    const run = spawnSync(
      process.execPath,
      [cliPath, '--root', root, 'run', '--rm', '-v', './dir:/in', 'box:v1', 'cat', '/in/in.txt'],
      {
        cwd: here,
        encoding: 'utf8',
      },
    );
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, 'relative\n');

    ok(['volume', 'create', 'ro']);
    const out = ok([
      'run',
      '--rm',
      '--mount',
      `type=bind,src=${join(here, 'dir')},dst=/b,readonly`,
      '--mount',
      'type=volume,src=ro,dst=/v,readonly',
      '--mount',
      'type=tmpfs,dst=/t,tmpfs-size=1m',
      'box:v1',
      'sh',
      '-c',
      'cat /b/in.txt; touch /b/x 2>/dev/null || echo bind ro; touch /v/x 2>/dev/null || echo volume ro; touch /t/x && echo tmpfs rw; cat /proc/mounts | grep " /t " | cut -d" " -f3',
    ]);
    assert.equal(out, 'relative\nbind ro\nvolume ro\ntmpfs rw\ntmpfs\n');
    assert.ok(!existsSync(join(here, 'dir', 'x')));
    ok(['volume', 'rm', 'ro']);

    const missing = stevedore(root, ['run', '--rm', '--mount', `type=bind,src=${join(work, 'nope')},dst=/b`, 'box:v1', 'true']);
    assert.equal(missing.code, 125);
    assert.match(missing.stderr, /bind source path does not exist: .*nope\n$/);
  });

  it('--volumes-from mounts another container’s volumes and binds at the same paths, read-only with :ro; its anonymous volume stays its own', () => {
    const shared = join(work, 'shared');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'host.txt'), 'host\n');
    const write = 'echo n > /named/n; echo a > /anon/a';
    ok(['run', '--name', 'owner', '-v', `${shared}:/host`, '-v', 'named:/named', '-v', '/anon', 'box:v1', 'sh', '-c', write]);
    const anonymous = volumeNames().filter((n) => /^[0-9a-f]{64}$/.test(n));
    assert.equal(anonymous.length, 1);
    const read = 'cat /host/host.txt /named/n /anon/a; echo w > /anon/w && echo written';
    assert.equal(ok(['run', '--rm', '--volumes-from', 'owner', 'box:v1', 'sh', '-c', read]), 'host\nn\na\nwritten\n');
    const readOnly = 'touch /named/x 2>/dev/null || echo volume ro; touch /host/x 2>/dev/null || echo bind ro';
    assert.equal(ok(['run', '--rm', '--volumes-from', 'owner:ro', 'box:v1', 'sh', '-c', readOnly]), 'volume ro\nbind ro\n');
    // Its own -v at the same path wins.
    assert.equal(ok(['run', '--rm', '--volumes-from', 'owner', '-v', 'other:/named', 'box:v1', 'ls', '/named']), '');
    assert.deepEqual(volumeNames().sort(), [...anonymous, 'named', 'other'].sort(), '--rm took none of the owner’s volumes');
    const missing = stevedore(root, ['run', '--rm', '--volumes-from', 'nosuch', 'box:v1', 'true']);
    assert.equal(missing.code, 125);
    assert.equal(missing.stderr, 'error: no such container: nosuch\n');
    ok(['rm', '-v', 'owner']);
    ok(['volume', 'rm', 'named', 'other']);
    assert.deepEqual(volumeNames(), []);
  });

  it('volume ls filters (dangling, name, label) and prints --format as docker', () => {
    ok(['volume', 'create', '--label', 'team=db', 'pgdata']);
    ok(['volume', 'create', 'pgwal']);
    ok(['volume', 'create', 'web']);
    ok(['run', '-d', '--name', 'user', '-v', 'pgwal:/w', 'box:v1', 'sleep', '1000']);
    const ls = (...args: string[]) => ok(['volume', 'ls', ...args]);
    assert.equal(ls('-q', '--filter', 'dangling=true'), 'pgdata\nweb\n');
    assert.equal(ls('-q', '-f', 'dangling=false'), 'pgwal\n');
    assert.equal(ls('-q', '-f', 'name=pg'), 'pgdata\npgwal\n');
    assert.equal(ls('-q', '-f', 'label=team'), 'pgdata\n');
    assert.equal(ls('-q', '-f', 'label=team=web'), '');
    assert.equal(ls('-q', '-f', 'name=pg', '-f', 'dangling=true'), 'pgdata\n');
    assert.equal(ls('--format', '{{.Name}}:{{.Driver}}:{{.Labels}}', '-f', 'name=pgdata'), 'pgdata:local:team=db\n');
    assert.match(
      ls('--format', 'table {{.Name}}\t{{.Mountpoint}}', '-f', 'name=web'),
      /^VOLUME NAME\s+MOUNTPOINT\nweb\s+\/.*\/volumes\/web\/_data\n$/,
    );
    const bad = stevedore(root, ['volume', 'ls', '-f', 'colour=red']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: invalid filter "colour=red": use dangling=, name= or label=\n$/);
    ok(['rm', '-f', 'user']);
    ok(['volume', 'rm', 'pgdata', 'pgwal', 'web']);
  });

  it('refuses bad names and mounts in one line; a link in the image keeps a volume and its filling inside the rootfs', () => {
    const outside = join(work, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'host-secret'), 'host\n');
    const before = snapshotTree(outside);
    for (const [args, message] of [
      [['-v', 'bad/name:/x'], /^error: invalid volume "bad\/name:\/x": "bad\/name" includes invalid characters/],
      [['-v', 'ab:relative'], /^error: invalid volume "ab:relative": the container path must be absolute/],
      [['--mount', 'type=volume,dst=/x,bogus=1'], /unexpected key 'bogus' in 'bogus=1'/],
      [['--mount', 'type=nfs,dst=/x'], /mount type "nfs" is not supported/],
      [['-v', 'aa:/x', '-v', 'bb:/x'], /Duplicate mount point: \/x/],
    ] as const) {
      const r = stevedore(root, ['run', '--rm', ...args, 'box:v1', 'true']);
      assert.equal(r.code, 125, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
    assert.equal(stevedore(root, ['volume', 'create', '../up']).code, 1);
    assert.deepEqual(volumeNames(), []);

    assert.equal(ok(['run', '--rm', '-v', 'linked:/data', 'box:linkdata', 'sh', '-c', 'ls /data; echo mine > /data/f']), '');
    assert.deepEqual(snapshotTree(outside), before, 'nothing of the host moved');
    assert.equal(readFileSync(join(root, 'volumes', 'linked', '_data', 'f'), 'utf8'), 'mine\n');
    ok(['volume', 'rm', 'linked']);
  });
});
