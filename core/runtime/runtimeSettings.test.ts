import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitsRuntimeSettings, runtimeSettings } from './runtimeSettings.js';

describe('runtime settings a command must share with an engine to go through it', () => {
  const engineEnv = { STEVEDORE_ROOTFS: 'copy', PATH: '/usr/bin:/bin', HOME: '/home/a' };

  it('an engine lists the root filesystem and OCI runtime; one started on demand its PATH too', () => {
    assert.deepEqual(runtimeSettings(engineEnv), { STEVEDORE_ROOTFS: 'copy', STEVEDORE_OCI_RUNTIME: '' });
    assert.deepEqual(runtimeSettings(engineEnv, { withPath: true }), {
      STEVEDORE_ROOTFS: 'copy',
      STEVEDORE_OCI_RUNTIME: '',
      PATH: '/usr/bin:/bin',
    });
  });

  it('fits a command with the same values for what the engine lists, and nothing else', () => {
    const listed = JSON.stringify(runtimeSettings(engineEnv, { withPath: true }));
    assert.equal(fitsRuntimeSettings(listed, { ...engineEnv, HOME: '/elsewhere' }), true);
    assert.equal(fitsRuntimeSettings(listed, { ...engineEnv, STEVEDORE_OCI_RUNTIME: '' }), true, 'unset is empty');
    assert.equal(fitsRuntimeSettings(listed, { ...engineEnv, PATH: '/opt/bin' }), false);
    assert.equal(fitsRuntimeSettings(listed, { PATH: '/usr/bin:/bin' }), false);
    assert.equal(fitsRuntimeSettings(JSON.stringify(runtimeSettings(engineEnv)), { ...engineEnv, PATH: '/opt/bin' }), true);
    for (const garbage of [undefined, '', 'not json', '[]', 'null', '"x"'])
      assert.equal(fitsRuntimeSettings(garbage, engineEnv), false);
  });
});
