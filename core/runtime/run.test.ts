import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');

describe('run --rm with runc', () => {
  before(async () => {
    writeLayout(join(work, 'layout'), [
      {
        refName: 'v1',
        layers: [
          await busyboxLayer(['sh', 'echo', 'cat', 'id', 'pwd', 'true']),
          await makeLayer([
            { path: 'etc/', type: 'directory' },
            { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' },
            { path: 'etc/group', content: 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n' },
          ]),
        ],
        config: { Cmd: ['echo', 'hello from the image'], Env: ['GREETING=hi'], WorkingDir: '/work' },
      },
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
    assert.equal(stevedore(root, ['load', '-i', join(work, 'layout'), '--name', 'box']).code, 0);
  });

  it('runs the image’s own command and prints its output', () => {
    const r = stevedore(root, ['run', '--rm', 'box:v1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hello from the image\n');
  });

  it('exits with the container’s exit code, with the image’s env and a created WORKDIR', () => {
    const r = stevedore(root, ['run', '--rm', '-e', 'EXTRA=1', 'box:v1', 'sh', '-c', 'echo $GREETING $EXTRA; pwd; exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'hi 1\n/work\n');
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

  it('leaves no container directory and no mount behind', () => {
    const dir = join(root, 'containers');
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
    assert.ok(!readFileSync('/proc/self/mounts', 'utf8').includes(root));
  });
});
