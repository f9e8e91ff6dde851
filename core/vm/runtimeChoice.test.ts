import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import { chooseRuntime } from './runtimeChoice.js';

describe('chooseRuntime', () => {
  const root = { platform: 'linux' as const, uid: 0 };
  const user = { platform: 'linux' as const, uid: 1000 };

  it('runs containers natively for root on Linux, in a machine for anyone else, and says why', () => {
    assert.deepEqual(chooseRuntime({}, root), { kind: 'native', reason: 'the engine runs as root on Linux' });
    assert.equal(chooseRuntime({}, user).kind, 'vm');
    assert.match(chooseRuntime({}, user).reason, /uid 1000.*needs root/);
    assert.match(chooseRuntime({}, { platform: 'darwin', uid: 501 }).reason, /need Linux, and this is darwin/);
  });

  it('takes --runtime over $STEVEDORE_RUNTIME over the host, and refuses a typo in one sentence', () => {
    assert.equal(chooseRuntime({ flag: 'vm', env: 'native' }, root).kind, 'vm');
    assert.equal(chooseRuntime({ env: 'vm' }, root).kind, 'vm');
    assert.equal(chooseRuntime({ env: '' }, root).kind, 'native');
    assert.throws(() => chooseRuntime({ flag: 'vmm' }, root), /invalid runtime "vmm" \(--runtime\): use native or vm/);
    assert.throws(() => chooseRuntime({ env: 'docker' }, root), /invalid runtime "docker" \(STEVEDORE_RUNTIME\)/);
  });

  it('`stevedore info` names the runtime and the reason; a wrong --runtime is one error line', () => {
    const dir = tempDir('stevedore-info-');
    const info = stevedore(dir, ['info', '--json']);
    assert.equal(info.code, 0, info.stderr);
    const parsed = JSON.parse(info.stdout) as { runtime: string; runtimeReason: string };
    assert.equal(parsed.runtime, process.getuid?.() === 0 ? 'native' : 'vm');
    assert.match(stevedore(dir, ['--runtime', 'vm', 'info']).stdout, /^Runtime: +vm \(--runtime asks for it\)$/m);
    const wrong = stevedore(dir, ['--runtime', 'runcc', 'ps']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, 'error: invalid runtime "runcc" (--runtime): use native or vm\n');
  });
});
