import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { eventually } from '../../testkit/eventually.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

const work = tempDir();
const root = join(work, 'store');
const agentSocket = join(work, 'agent.sock');
let agent: ChildProcess;
let made = 0;

function context(dockerfile: string): string {
  const dir = join(work, `ctx${++made}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

describe('build --ssh with RUN --mount=type=ssh (issue 16)', { skip: !existsSync('/usr/bin/ssh-agent') }, () => {
  before(async () => {
    await loadBoxImage(root, work);
    // Debian's openssh-client: an agent of the test's own, holding a key made here.
    agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
    await eventually(() => assert.ok(existsSync(agentSocket)));
    const key = join(work, 'id_ed25519');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status, 0);
    const added = spawnSync('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, encoding: 'utf8' });
    assert.equal(added.status, 0, added.stderr);
  });
  after(() => {
    agent?.kill();
  });

  it('--ssh default mounts $SSH_AUTH_SOCK for that step only, at /run/buildkit/ssh_agent.0 with SSH_AUTH_SOCK set', () => {
    const dir = context(
      'FROM box:v1\nRUN --mount=type=ssh test -S "$SSH_AUTH_SOCK" && echo "$SSH_AUTH_SOCK" > /seen\nRUN test ! -e /run/buildkit/ssh_agent.0 && echo gone > /after\n',
    );
    const dest = join(work, 'out');
    process.env.SSH_AUTH_SOCK = agentSocket;
    try {
      const r = stevedore(root, ['build', '-q', '--ssh', 'default', '-o', dest, dir]);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      delete process.env.SSH_AUTH_SOCK;
    }
    assert.equal(readFileSync(join(dest, 'seen'), 'utf8'), '/run/buildkit/ssh_agent.0\n');
    assert.equal(readFileSync(join(dest, 'after'), 'utf8'), 'gone\n');
    assert.ok(!Object.keys(snapshotTree(dest)).some((p) => p.startsWith('run')), 'the mount point is no part of the image');
  });

  it('a required ssh mount without --ssh fails in one line naming the id', () => {
    const dir = context('FROM box:v1\nRUN --mount=type=ssh,required=true true\n');
    const r = stevedore(root, ['build', '-q', dir]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /ssh.*default/);
  });

  it('--ssh default without SSH_AUTH_SOCK is refused before the build', () => {
    const dir = context('FROM box:v1\nRUN --mount=type=ssh true\n');
    const outer = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    const r = stevedore(root, ['build', '-q', '--ssh', 'default', dir]);
    if (outer !== undefined) process.env.SSH_AUTH_SOCK = outer;
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /SSH_AUTH_SOCK/);
  });
});
