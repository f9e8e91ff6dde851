import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { RootlessHost } from '../runtime/rootless/rootlessHost.js';
import { chooseRuntime } from './runtimeChoice.js';

describe('chooseRuntime', () => {
  const range = { uid: { start: 100000, count: 65536 }, gid: { start: 100000, count: 65536 } };
  const works: RootlessHost = { blocker: null, range };
  const root = { platform: 'linux' as const, uid: 0, rootless: () => assert.fail('root needs no user namespace') };
  const user = (rootless: RootlessHost) => ({ platform: 'linux' as const, uid: 1000, rootless: () => rootless });
  const cli = { canEnterNamespace: true };

  it('runs containers natively for root on Linux, rootless for a user where namespaces work, and says why', () => {
    assert.deepEqual(chooseRuntime(cli, root), { kind: 'native', reason: 'the engine runs as root on Linux' });
    const rootless = chooseRuntime(cli, user(works));
    assert.equal(rootless.kind, 'rootless');
    assert.match(
      rootless.reason,
      /uid 1000, and native runc needs root; user namespaces work \(.*65536 ids\); a machine is not needed/,
    );
    assert.deepEqual(rootless.rootless, works);
    assert.match(chooseRuntime(cli, { platform: 'darwin', uid: 501 }).reason, /need Linux, and this is darwin/);
  });

  it('without a subordinate range: rootless with one id, and a warning about -u and chown', () => {
    const single = chooseRuntime(cli, user({ blocker: null, range: null }));
    assert.equal(single.kind, 'rootless');
    assert.match(single.reason, /warning: .*no range.*-u with another user and chown fail/);
  });

  it('a machine where user namespaces cannot be used, or for a face that cannot enter one, saying which', () => {
    const blocked = chooseRuntime(cli, user({ blocker: 'user namespaces are off (sysctl user.max_user_namespaces = 0)', range }));
    assert.equal(blocked.kind, 'vm');
    assert.match(blocked.reason, /native runc needs root, and rootless cannot run: user namespaces are off/);
    const app = chooseRuntime({}, user(works));
    assert.equal(app.kind, 'vm');
    assert.match(app.reason, /cannot enter a user namespace/);
  });

  it('inside its namespace the engine is root there, and stays rootless', () => {
    const inside = { platform: 'linux' as const, uid: 0, inRootlessNamespace: true };
    assert.equal(chooseRuntime(cli, inside).kind, 'rootless');
    assert.equal(chooseRuntime({ ...cli, env: 'rootless' }, inside).rootless, undefined);
  });

  it('takes --runtime over $STEVEDORE_RUNTIME over the host, and refuses a typo or rootless for root in one sentence', () => {
    assert.equal(chooseRuntime({ flag: 'vm', env: 'native' }, root).kind, 'vm');
    assert.equal(chooseRuntime({ env: 'vm' }, root).kind, 'vm');
    assert.equal(chooseRuntime({ env: '' }, root).kind, 'native');
    assert.equal(chooseRuntime({ ...cli, flag: 'vm' }, user(works)).kind, 'vm');
    assert.equal(chooseRuntime({ ...cli, env: 'rootless' }, user({ blocker: null, range: null })).kind, 'rootless');
    assert.throws(() => chooseRuntime({ flag: 'vmm' }, root), /invalid runtime "vmm" \(--runtime\): use native, rootless or vm/);
    assert.throws(() => chooseRuntime({ env: 'docker' }, root), /invalid runtime "docker" \(STEVEDORE_RUNTIME\)/);
    assert.throws(
      () => chooseRuntime({ ...cli, flag: 'rootless' }, root),
      /rootless runtime is for a normal user.*root runs containers natively/,
    );
    assert.throws(() => chooseRuntime({ env: 'rootless' }, user(works)), /this face cannot enter its user namespace/);
  });

  it('`stevedore info` names the runtime and the reason; a wrong --runtime is one error line', () => {
    const dir = tempDir('stevedore-info-');
    const info = stevedore(dir, ['info', '--json']);
    assert.equal(info.code, 0, info.stderr);
    const parsed = JSON.parse(info.stdout) as { runtime: string; runtimeReason: string };
    assert.equal(parsed.runtime, process.getuid?.() === 0 ? 'native' : 'rootless');
    assert.match(stevedore(dir, ['--runtime', 'vm', 'info']).stdout, /^Runtime: +vm \(--runtime asks for it\)$/m);
    const wrong = stevedore(dir, ['--runtime', 'runcc', 'ps']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, 'error: invalid runtime "runcc" (--runtime): use native, rootless or vm\n');
  });
});
