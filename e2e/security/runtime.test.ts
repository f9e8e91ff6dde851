import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import { eventually } from '../support/eventually.js';

// Issue 12, items 7, 8, 11 and the -e part of 12: what a hostile image (or a neighbour on the
// LAN) can do to the host through the container runtime. Every image here is built by the test.
const work = tempDir();
const root = join(work, 'store');
/** Files on the host that an image's links point at: none of them may be read, written or moved. */
const hostDir = join(work, 'host');

/**
 * Runs the built CLI. A hostile image used to hang `run` for ever (a FIFO without a writer), so
 * a run that has not answered when the test gives up is killed and reported, not waited on.
 */
function cli(args: string[]): { code: number | null; stdout: string; stderr: string; hung: boolean } {
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, hung: r.signal !== null };
}

const passwdLine = 'someuser:x:4242:4242::/:/bin/sh\n';

/** Images whose /etc/passwd (or /etc/group) is not a plain file of the image. */
const HOSTILE_USER_FILES: { name: string; entries: Parameters<typeof makeLayer>[0] }[] = [
  { name: 'passwd-fifo', entries: [{ path: 'etc/passwd', type: 'fifo' }] },
  { name: 'passwd-zero', entries: [{ path: 'etc/passwd', type: 'character-device', devmajor: 1, devminor: 5 }] },
  {
    name: 'passwd-link-zero',
    entries: [
      { path: 'dev/', type: 'directory' },
      { path: 'dev/zero', type: 'character-device', devmajor: 1, devminor: 5 },
      { path: 'etc/passwd', type: 'symlink', linkname: '/dev/zero' },
    ],
  },
  { name: 'passwd-link-host', entries: [{ path: 'etc/passwd', type: 'symlink', linkname: join(hostDir, 'passwd') }] },
  { name: 'passwd-huge', entries: [{ path: 'etc/passwd', content: passwdLine + '#'.repeat(10 * 1024 * 1024) }] },
  {
    name: 'group-fifo',
    entries: [
      { path: 'etc/passwd', content: passwdLine },
      { path: 'etc/group', type: 'fifo' },
    ],
  },
];

before(async () => {
  spawnSync('mkdir', ['-p', hostDir]);
  writeFileSync(join(hostDir, 'passwd'), passwdLine);
  for (const name of ['hosts', 'resolv.conf', 'hostname']) writeFileSync(join(hostDir, name), 'the host’s own file\n');
  const busybox = await busyboxLayer(['sh', 'id', 'cat', 'ls', 'true', 'echo', 'sleep', 'unshare', 'wget', 'httpd', 'mount']);
  writeLayout(join(work, 'layout'), [
    {
      refName: 'plain',
      layers: [
        busybox,
        await makeLayer([
          { path: 'etc/', type: 'directory' },
          { path: 'etc/passwd', content: passwdLine },
        ]),
      ],
    },
    ...(await Promise.all(
      HOSTILE_USER_FILES.map(async (image) => ({
        refName: image.name,
        layers: [busybox, await makeLayer([{ path: 'etc/', type: 'directory' }, ...image.entries])],
      })),
    )),
    {
      // /etc/hosts and /etc/resolv.conf as links out of the image: the runtime's own files are
      // bound over them, and nothing may be written through them.
      refName: 'etc-links',
      layers: [
        busybox,
        await makeLayer([
          { path: 'etc/', type: 'directory' },
          { path: 'etc/hosts', type: 'symlink', linkname: join(hostDir, 'hosts') },
          { path: 'etc/resolv.conf', type: 'symlink', linkname: join(hostDir, 'resolv.conf') },
          { path: 'etc/hostname', type: 'symlink', linkname: `../../../../../../../..${join(hostDir, 'hostname')}` },
        ]),
      ],
    },
  ]);
  const r = stevedore(root, ['load', '-i', join(work, 'layout'), '--name', 'sec']);
  assert.equal(r.code, 0, r.stderr);
});

describe('item 7: /etc/passwd and /etc/group that are not regular files', () => {
  for (const image of HOSTILE_USER_FILES) {
    it(`refuses ${image.name} in one line, and the engine goes on`, () => {
      const hostBefore = snapshotTree(hostDir);
      const r = cli(['run', '--rm', '-u', 'someuser', `sec:${image.name}`, 'id']);
      assert.equal(r.hung, false, `run did not answer: ${r.stderr}`);
      assert.equal(r.code, 125, `${r.stdout}\n${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', /passwd|group/);
      assert.doesNotMatch(r.stdout, /uid=4242/);
      assert.deepEqual(snapshotTree(hostDir), hostBefore);
      // The same through the engine's own run (detached): answered, nothing left running.
      const detached = cli(['run', '-d', '-u', 'someuser', `sec:${image.name}`, 'id']);
      assert.equal(detached.hung, false, detached.stderr);
      assert.notEqual(detached.code, 0);
      const ps = cli(['ps', '-a', '--json']);
      assert.equal(ps.code, 0, ps.stderr);
      assert.deepEqual(JSON.parse(ps.stdout), []);
    });
  }

  it('still runs as a user of a regular /etc/passwd', () => {
    const r = cli(['run', '--rm', '-u', 'someuser', 'sec:plain', 'id', '-u']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '4242\n');
  });

  it('binds its own /etc/hosts, hostname and resolv.conf over links out of the image, writing nothing through them', () => {
    const hostBefore = snapshotTree(hostDir);
    const r = cli([
      'run',
      '--rm',
      '--network',
      'none',
      '--hostname',
      'inside',
      'sec:etc-links',
      'cat',
      '/etc/hosts',
      '/etc/hostname',
    ]);
    assert.deepEqual(snapshotTree(hostDir), hostBefore);
    for (const name of ['hosts', 'resolv.conf', 'hostname']) {
      assert.equal(readFileSync(join(hostDir, name), 'utf8'), 'the host’s own file\n');
    }
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /localhost[\s\S]*\ninside\n$/);
  });
});

/** Resolves once no process is about container `id` any more (conmon and its exit command), so the store can go. */
async function settled(id: string): Promise<void> {
  await eventually(() => {
    const about = readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(id);
        } catch {
          return false;
        }
      });
    assert.deepEqual(about, []);
  }, 30_000);
}

/** Every file under `dir` (not following links), with its path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

describe('item 12: -e values are private to root', () => {
  it('writes every file holding an -e value 0600, in directories 0700', async () => {
    const r = cli(['run', '-d', '-e', 'SECRET=x', 'sec:plain', 'sleep', '600']);
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    try {
      const bundle = join(root, 'containers', id);
      const exec = cli(['exec', id, 'true']);
      assert.equal(exec.code, 0, exec.stderr);
      // The rootfs is the container's own business (an overlay of the image); the bundle's files are ours.
      const holding = filesUnder(bundle)
        .filter((f) => !f.startsWith(join(bundle, 'rootfs/')) && !f.startsWith(join(bundle, 'upper/')))
        .filter((f) => readFileSync(f).includes('SECRET=x'));
      assert.ok(holding.length >= 2, `expected the record and config.json, found ${holding.join(', ')}`);
      for (const file of holding) {
        assert.equal((lstatSync(file).mode & 0o777).toString(8), '600', file);
      }
      assert.equal((lstatSync(bundle).mode & 0o777).toString(8), '700', bundle);
      assert.equal((lstatSync(join(root, 'containers')).mode & 0o777).toString(8), '700');
    } finally {
      cli(['rm', '-f', id]);
      await settled(id);
    }
  });
});

describe('item 8: a seccomp policy for containers and build steps', () => {
  it('refuses a user namespace, and a mount made in one, by default (EPERM); seccomp=unconfined allows both', () => {
    const attempt = ['sh', '-c', 'unshare -U -r -m mount -t tmpfs none /etc && echo mounted'];
    const confined = cli(['run', '--rm', '--network', 'none', 'sec:plain', ...attempt]);
    assert.notEqual(confined.code, 0, 'a user namespace and a mount were made under the default policy');
    assert.match(confined.stderr, /Operation not permitted/);
    assert.equal(confined.stdout, '');
    const unconfined = cli(['run', '--rm', '--network', 'none', '--security-opt', 'seccomp=unconfined', 'sec:plain', ...attempt]);
    assert.equal(unconfined.code, 0, unconfined.stderr);
    assert.equal(unconfined.stdout, 'mounted\n');
  });

  it('leaves ordinary work alone: a shell, ls, an HTTP server and its client', () => {
    const r = cli([
      'run',
      '--rm',
      'sec:plain',
      'sh',
      '-c',
      'ls / >/dev/null && httpd -p 127.0.0.1:8080 -h /etc && wget -qO- http://127.0.0.1:8080/passwd && id -u',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${passwdLine}0\n`);
  });

  it('takes a docker seccomp profile FILE', () => {
    const profile = join(work, 'no-mkdir.json');
    writeFileSync(
      profile,
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] }],
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
      }),
    );
    const r = cli([
      'run',
      '--rm',
      '--network',
      'none',
      '--security-opt',
      `seccomp=${profile}`,
      'sec:plain',
      'sh',
      '-c',
      'echo ok; mkdir /x',
    ]);
    assert.equal(r.stdout, 'ok\n');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Operation not permitted/);
  });

  for (const [name, content] of [
    ['not JSON', '{ this is not json'],
    ['an unknown action', JSON.stringify({ defaultAction: 'SCMP_ACT_PARTY', syscalls: [] })],
    ['a rule without a name', JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ action: 'SCMP_ACT_ERRNO' }] })],
  ] as const) {
    it(`refuses a profile FILE that is ${name} in one line, before anything is made`, () => {
      const profile = join(work, `bad-${name.replaceAll(' ', '-')}.json`);
      writeFileSync(profile, content);
      const r = cli(['run', '--rm', '--security-opt', `seccomp=${profile}`, 'sec:plain', 'true']);
      assert.equal(r.code, 125, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', new RegExp(`seccomp profile ${profile.replaceAll('.', '\\.')}`));
      assert.deepEqual(JSON.parse(cli(['ps', '-a', '--json']).stdout), []);
    });
  }

  it('refuses a missing profile FILE and other security options in one line', () => {
    const missing = cli(['run', '--rm', '--security-opt', `seccomp=${join(work, 'nope.json')}`, 'sec:plain', 'true']);
    assert.equal(missing.code, 125);
    assert.match(missing.stderr, /^error: cannot read the seccomp profile .*nope\.json: ENOENT\n$/);
    const other = cli(['run', '--rm', '--security-opt', 'apparmor=unconfined', 'sec:plain', 'true']);
    assert.equal(other.code, 125);
    assert.equal(other.stderr.trim().split('\n').length, 1, other.stderr);
  });

  it('applies to RUN steps of a build', () => {
    const context = join(work, 'build-context');
    spawnSync('mkdir', ['-p', context]);
    writeFileSync(join(context, 'Dockerfile'), 'FROM sec:plain\nRUN unshare -U true\n');
    const r = cli(['build', '--progress', 'plain', '-t', 'sec:userns', context]);
    assert.notEqual(r.code, 0, 'a RUN step made a user namespace');
    assert.match(r.stdout + r.stderr, /Operation not permitted/);
  });
});
