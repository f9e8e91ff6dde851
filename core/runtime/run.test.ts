import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');

describe('run in the foreground with runc', () => {
  before(async () => {
    await loadBoxImage(root, work, [
      {
        refName: 'hostile',
        layers: [
          await busyboxLayer(['sh', 'id']),
          await makeLayer([
            { path: 'etc/', type: 'directory' },
            { path: 'etc/passwd', type: 'symlink', linkname: '/etc/shadow-of-host' },
          ]),
        ],
      },
    ]);
  });

  it('runs the image’s own command and prints its output', () => {
    const r = stevedore(root, ['run', '--rm', 'box:v1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hello from the image\n');
  });

  it('exits with the container’s exit code, with the image’s env and a created WORKDIR', () => {
    const r = stevedore(root, [
      'run',
      '--rm',
      '-e',
      'EXTRA=1',
      'box:v1',
      'sh',
      '-c',
      'echo $GREETING $EXTRA; pwd; echo oops >&2; exit 3',
    ]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'hi 1\n/work\n');
    assert.equal(r.stderr, 'oops\n');
  });

  it('takes -w, --env-file and --entrypoint as docker does', () => {
    const envFile = join(work, 'env');
    writeFileSync(envFile, '# a comment\nFROM_FILE=yes\n');
    const r = stevedore(root, [
      'run',
      '--rm',
      '-w',
      '/tmp/x',
      '--env-file',
      envFile,
      '--entrypoint',
      'sh',
      'box:v1',
      '-c',
      'pwd; echo $FROM_FILE',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '/tmp/x\nyes\n');
  });

  it('runs as a user named in the image’s /etc/passwd, with its groups', () => {
    const r = stevedore(root, ['run', '--rm', '-u', 'app', 'box:v1', 'id']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^uid=1000\(app\) gid=1000\(app\) groups=(1000\(app\),50\(staff\)|50\(staff\),1000\(app\))$/m);
    assert.match(stevedore(root, ['run', '--rm', '-u', 'nobody', 'box:v1', 'id']).stderr, /unable to find user nobody/);
  });

  it('reads /etc/passwd inside the image even when it is a symlink out of it', () => {
    const r = stevedore(root, ['run', '--rm', '-u', 'root', 'box:hostile', 'id']);
    assert.match(r.stderr, /unable to find user root: no matching entries in passwd file/);
  });

  it('answers a command that is not in the image with 127, as docker does', () => {
    const r = stevedore(root, ['run', '--rm', 'box:v1', 'nope']);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /^error: failed to create task for container: exec: "nope": executable file not found in \$PATH$/m);
  });

  it('answers a command that cannot be executed with 126, and a mistyped flag with 125, as docker does', () => {
    const denied = stevedore(root, ['run', '--rm', '--network', 'none', 'box:v1', '/etc/passwd']);
    assert.deepEqual(
      [denied.code, denied.stderr],
      [126, 'error: failed to create task for container: exec: "/etc/passwd": permission denied\n'],
    );
    const typo = stevedore(root, ['run', '--rmm', 'box:v1']);
    assert.deepEqual([typo.code, typo.stderr], [125, "error: unknown option '--rmm' (Did you mean --rm?)\n"]);
  });

  it('pulls an image that is not in the store first, as docker: --pull missing (default), always, never', async (t) => {
    const registry = await startRegistry();
    t.after(() => registry.stop());
    const remote = `${registry.host}/e2e/box:1`;
    assert.equal(stevedore(root, ['push', 'box:v1', remote]).code, 0);
    const fresh = join(work, 'fresh-store');
    const never = stevedore(fresh, ['run', '--rm', '--pull', 'never', '--network', 'none', remote]);
    assert.deepEqual([never.code, never.stderr], [125, `error: no such image: ${remote}\n`]);
    const first = stevedore(fresh, ['run', '--rm', '--network', 'none', remote]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'hello from the image\n', 'stdout is the container’s alone');
    assert.match(
      first.stderr,
      new RegExp(`^Unable to find image '${remote}' locally\n[\\s\\S]*Pull complete[\\s\\S]*Digest: sha256:`),
    );
    const again = stevedore(fresh, ['run', '--rm', '--network', 'none', remote]);
    assert.deepEqual([again.code, again.stderr], [0, ''], 'there now: no pull');
    const always = stevedore(fresh, ['run', '--rm', '--pull', 'always', '--network', 'none', remote]);
    assert.equal(always.code, 0, always.stderr);
    assert.match(always.stderr, /Digest: sha256:/);
    assert.doesNotMatch(always.stderr, /Unable to find/);
    const bad = stevedore(fresh, ['run', '--rm', '--pull', 'sometimes', remote]);
    assert.deepEqual([bad.code, bad.stderr], [125, 'error: invalid pull policy "sometimes": use missing, always or never\n']);
    // -d too (through the engine client): pulled first into a store that lacks it, the ID on stdout.
    const other = join(work, 'fresh-store-detached');
    const detached = stevedore(other, ['run', '-d', '--rm', '--network', 'none', remote]);
    assert.equal(detached.code, 0, detached.stderr);
    assert.match(detached.stdout, /^[0-9a-f]{64}\n$/);
    assert.match(detached.stderr, new RegExp(`^Unable to find image '${remote}' locally\n[\\s\\S]*Digest: sha256:`));
    // -q, as docker's: nothing of the pull, the container's output (or -d's ID) alone.
    const quiet = stevedore(join(work, 'fresh-store-quiet'), ['run', '--rm', '-q', '--network', 'none', remote]);
    assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, 'hello from the image\n', '']);
    const detachedQuietly = ['run', '-d', '--rm', '--quiet', '--network', 'none', remote];
    const quietDetached = stevedore(join(work, 'fresh-store-quiet-d'), detachedQuietly);
    assert.equal(quietDetached.code, 0, quietDetached.stderr);
    assert.deepEqual([quietDetached.stdout.length, quietDetached.stderr], [65, '']);
  });

  it('passes -e KEY without a value from the caller’s environment, or leaves it out', () => {
    const r = spawnSync(
      process.execPath,
      [
        cliPath,
        '--root',
        root,
        'run',
        '--rm',
        '--network',
        'none',
        '-e',
        'FROM_CALLER',
        '-e',
        'NOT_SET_HERE',
        'box:v1',
        'sh',
        '-c',
        'env | grep -E "^(FROM_CALLER|NOT_SET_HERE)" | sort',
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH, FROM_CALLER: 'yes' } },
    );
    assert.deepEqual([r.status, r.stdout], [0, 'FROM_CALLER=yes\n'], r.stderr);
  });

  it('takes -h as the host name, as docker does (help is --help)', () => {
    const r = stevedore(root, ['run', '--rm', '--network', 'none', '-h', 'named-here', 'box:v1', 'hostname']);
    assert.deepEqual([r.code, r.stdout], [0, 'named-here\n'], r.stderr);
    assert.match(stevedore(root, ['run', '--help']).stdout, /^Usage: stevedore run/m);
  });

  it('mounts a tmpfs with --tmpfs PATH:size=…, and refuses an option it cannot honour', () => {
    const r = stevedore(root, [
      'run',
      '--rm',
      '--network',
      'none',
      '--tmpfs',
      '/scratch:size=1m,mode=1770',
      '--tmpfs',
      '/open',
      'box:v1',
      'sh',
      '-c',
      'cat /proc/mounts; ls -ld /scratch /open',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^tmpfs \/scratch tmpfs \S*size=1024k\S*mode=1770/m);
    // The directories themselves: runc gives a tmpfs the mode of what it covers.
    assert.match(r.stdout, /^drwxrwx--T\s.*\/scratch$/m);
    assert.match(r.stdout, /^drwxrwxrwt\s.*\/open$/m, 'docker’s default for a tmpfs: 1777');
    const bad = stevedore(root, ['run', '--rm', '--tmpfs', '/scratch:exec', 'box:v1', 'true']);
    assert.deepEqual([bad.code, bad.stderr.trim().split('\n').length], [125, 1]);
    assert.match(bad.stderr, /^error: invalid --tmpfs "\/scratch:exec": option "exec" is not supported/);
  });

  it('reads and writes a bind-mounted host directory', () => {
    const data = join(work, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'in'), 'from the host\n');
    const r = stevedore(root, [
      'run',
      '--rm',
      '-v',
      `${data}:/data`,
      '-v',
      `${data}:/ro:ro`,
      'box:v1',
      'sh',
      '-c',
      'cat /data/in; echo from the container > /data/out; echo x > /ro/y || echo read-only',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'from the host\nread-only\n');
    assert.equal(readFileSync(join(data, 'out'), 'utf8'), 'from the container\n');
    assert.ok(!existsSync(join(data, 'y')));
  });

  it('gives --network none only a loopback, --network host the host’s network, bridge an address of its own', () => {
    const none = stevedore(root, ['run', '--rm', '--network', 'none', 'box:v1', 'ip', '-o', 'link']);
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(
      none.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(':')[1]?.trim()),
      ['lo'],
    );
    const host = stevedore(root, ['run', '--rm', '--network', 'host', 'box:v1', 'hostname']);
    assert.equal(host.stdout.trim(), hostname());
    const bridge = stevedore(root, ['run', '--rm', 'box:v1', 'ip', '-o', '-4', 'addr', 'show', 'eth0']);
    assert.match(bridge.stdout, /inet 10\.213\.\d+\.\d+\/16/);
  });

  it('keeps a container run without --rm, exited with its code', () => {
    const r = stevedore(root, ['run', '--name', 'kept', 'box:v1', 'sh', '-c', 'echo kept; exit 4']);
    assert.equal(r.code, 4);
    const ps = JSON.parse(stevedore(root, ['ps', '-a', '--json']).stdout) as { name: string; state: string; exitCode: number }[];
    assert.deepEqual(
      ps.filter((c) => c.name === 'kept').map((c) => [c.state, c.exitCode]),
      [['exited', 4]],
    );
    assert.equal(stevedore(root, ['logs', 'kept']).stdout, 'kept\n');
    assert.equal(stevedore(root, ['rm', 'kept']).code, 0);
  });

  it('refuses bad input in one line: an unknown image, a bad -v, -p or --network', () => {
    for (const [args, message] of [
      // --pull never: without it the engine would try the registry first, as docker does.
      [['run', '--rm', '--pull', 'never', 'nosuch:image'], /^error: no such image: nosuch:image$/m],
      [['run', '--rm', '-v', 'no/name:/x', 'box:v1'], /^error: invalid volume "no\/name:\/x": "no\/name" includes invalid/],
      [['run', '--rm', '-p', '99999:80', 'box:v1'], /^error: invalid port "99999:80"/],
      [['run', '--rm', '--network', 'wifi', 'box:v1'], /^error: network wifi not found$/m],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.equal(r.code, 125, 'docker’s code for a run that could not start');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('runs an image whose config another stored manifest shares (a gzip copy beside the plain one)', async () => {
    const layers = [await busyboxLayer(['sh', 'echo'])];
    const config = { Cmd: ['echo', 'one of twins'] };
    writeLayout(join(work, 'twin-plain'), [{ refName: 'plain', layers, config }]);
    writeLayout(join(work, 'twin-gzip'), [{ refName: 'gzip', layers, config, gzip: true }]);
    for (const layout of ['twin-plain', 'twin-gzip']) {
      assert.equal(stevedore(root, ['load', '-i', join(work, layout), '--name', 'twin']).code, 0);
    }
    const listed = JSON.parse(stevedore(root, ['images', '--json']).stdout) as { repository: string; id: string }[];
    const twins = listed.filter((i) => i.repository.endsWith('twin'));
    assert.equal(twins.length, 2);
    assert.equal(new Set(twins.map((t) => t.id)).size, 1, 'two manifests, one config');
    for (const tag of ['twin:plain', 'twin:gzip']) {
      const r = stevedore(root, ['run', '--rm', '--network', 'none', tag]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'one of twins\n', '']);
    }
    // A name is one image; the ID both share still is not, for what acts on a name.
    assert.match(stevedore(root, ['rmi', twins[0]!.id.slice(7, 19)]).stderr, /matches more than one image/);
  });

  it('leaves no container directory and no mount behind', () => {
    const dir = join(root, 'containers');
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
    assert.ok(!readFileSync('/proc/self/mounts', 'utf8').includes(root));
  });
});
