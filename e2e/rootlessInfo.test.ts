import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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

// `stevedore info` as a normal user names what keeps rootless containers from running, or from
// having a network, each with its fix. What is missing is made by the test: a PATH without some
// programs (a directory of links to everything else in /usr/bin and /bin). /dev/net/tun not
// openable is rootless.test.ts's: only one file may change the device's mode while others run.
const skip = rootlessSkipReason(['pasta']);
if (skip) console.log(`# rootless info test skipped: ${skip}`);

/** A directory of links to every program in /usr/bin and /bin but `without`, to be a whole PATH. */
function pathWithout(dir: string, without: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const bin of ['/usr/bin', '/bin']) {
    for (const name of readdirSync(bin)) {
      if (without.includes(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(bin, name), join(dir, name));
    }
  }
  return dir;
}

describe('`stevedore info` names what blocks rootless containers, with the fix', {
  skip: skip || false,
  timeout: 120_000,
}, () => {
  let user: NormalUser;
  let work: string;
  let root: string;
  const info = (env: NodeJS.ProcessEnv = {}) => {
    const r = stevedoreAs(user, root, ['info'], { env: { STEVEDORE_RUNTIME: '', ...env } });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').find((line) => line.startsWith('Runtime:')) ?? '';
  };

  before(() => {
    chmodSync('/dev/net/tun', 0o666);
    user = ensureTestUser();
    work = userTempDir(user, 'stevedore-rootless-info-');
    chmodSync(work, 0o755);
    root = userDir(user, join(work, 'store'));
  });

  after(() => {
    killNamespaceHolder(root);
    chmodSync('/dev/net/tun', 0o666);
    assert.deepEqual(removeUserTempDir(work), []);
  });

  it('nothing to say where everything is there', () => {
    const line = info();
    assert.match(line, /^Runtime: +rootless \(/);
    assert.doesNotMatch(line, /warning|pasta|\/dev\/net\/tun/);
  });

  it('pasta not installed: rootless runs, and containers have no network until `apt-get install passt`', () => {
    const line = info({ PATH: pathWithout(join(work, 'no-pasta'), ['pasta', 'passt', 'pasta.avx2', 'passt.avx2']) });
    assert.match(
      line,
      /^Runtime: +rootless \(.*warning: the rootless network needs pasta, which is not installed \(Debian: apt-get install passt\), so containers get no network/,
    );
  });

  it('newuidmap and newgidmap missing: a machine instead, saying why rootless cannot run and what installs them', () => {
    const line = info({ PATH: pathWithout(join(work, 'no-uidmap'), ['newuidmap', 'newgidmap']) });
    assert.match(
      line,
      /^Runtime: +vm \(.*rootless cannot run: newuidmap and newgidmap are not installed \(Debian: apt-get install uidmap\)/,
    );
  });
});
