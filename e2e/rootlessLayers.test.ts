import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { busyboxLayer, makeLayer } from '../testkit/layers.js';
import {
  ensureTestUser,
  killNamespaceHolder,
  type NormalUser,
  removeUserTempDir,
  rootlessSkipReason,
  stevedoreAs,
  userDir,
  userTempDir,
} from '../testkit/normalUser.js';
import { snapshotTree } from '../testkit/treeSnapshot.js';

// Layers a user namespace cannot reproduce as they are: an owner beyond the ids the user's
// /etc/subuid range maps (chown there fails with EINVAL), and device nodes (only the host's root
// may make them). The images are made by root and handed to the suite's normal user as an archive.
const skip = rootlessSkipReason();
if (skip) console.log(`# rootless layers test skipped: ${skip}`);

describe('rootless: layers a user namespace cannot hold as they are', { skip: skip || false, timeout: 180_000 }, () => {
  let user: NormalUser;
  let work: string;
  let root: string;
  const env = { STEVEDORE_RUNTIME: '' };
  const as = (args: string[]) => stevedoreAs(user, root, args, { env });

  before(async () => {
    user = ensureTestUser();
    work = userTempDir(user, 'stevedore-rootless-layers-');
    chmodSync(work, 0o755);
    const staging = join(work, 'staging');
    await loadBoxImage(staging, join(work, 'box-work'), [
      {
        refName: 'far-owner',
        layers: [
          await busyboxLayer(['sh', 'ls']),
          // Beyond the range useradd gives (65536 ids; a tar header holds up to 262143): the namespace maps nothing there.
          await makeLayer([{ path: 'far', content: 'x\n', uid: 200_000, gid: 200_000 }]),
        ],
        config: { Cmd: ['sh'] },
      },
      {
        refName: 'devices',
        layers: [
          await busyboxLayer(['sh', 'ls', 'cat']),
          await makeLayer([
            { path: 'dev/', type: 'directory' },
            { path: 'dev/mynull', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
            { path: 'dev/myblock', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660 },
            { path: 'pipe', type: 'fifo', mode: 0o644 },
            { path: 'kept', content: 'kept\n' },
          ]),
        ],
        config: { Cmd: ['sh'] },
      },
    ]);
    const archive = join(work, 'images.tar');
    const saved = stevedore(staging, ['save', 'box:far-owner', 'box:devices', '-o', archive]);
    assert.equal(saved.code, 0, saved.stderr);
    chmodSync(archive, 0o644);
    root = userDir(user, join(work, 'store'));
    const loaded = as(['load', '-i', archive]);
    assert.equal(loaded.code, 0, loaded.stderr);
  });

  after(() => {
    killNamespaceHolder(root);
    assert.deepEqual(removeUserTempDir(work), []);
  });

  it("an owner outside the user's range: one line naming the entry, the owner, /etc/subuid and how to widen it", () => {
    const before = snapshotTree(join(work, 'staging'));
    const r = as(['run', '--rm', '--network', 'none', 'box:far-owner', 'ls', '-ln', '/far']);
    assert.equal(r.code, 125, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^error: [^\n]*"far"[^\n]*uid 200000[^\n]*outside[^\n]*\/etc\/subuid[^\n]*usermod --add-subuids[^\n]*\n$/,
    );
    assert.doesNotMatch(r.stderr, /EINVAL/);
    // The engine keeps working, and nothing outside the user's store moved.
    assert.equal(as(['images', '-q']).code, 0);
    assert.deepEqual(snapshotTree(join(work, 'staging')), before);
  });

  it('device nodes are skipped, as moby does in a user namespace; fifos and files are kept', () => {
    const r = as(['run', '--rm', '--network', 'none', 'box:devices', 'sh', '-c', 'ls /dev; ls -l /pipe; cat /kept']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(!lines.includes('mynull') && !lines.includes('myblock'), r.stdout);
    assert.match(r.stdout, /^p[-rwx]{9} .* \/pipe$/m);
    assert.match(r.stdout, /^kept$/m);
  });
});
