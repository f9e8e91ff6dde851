import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { layoutWithImages, randomLayers } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';
import type { SecretCipher } from './sealedCredentials.js';

const work = tempDir('stevedore-sealed-');
const dockerConfig = join(work, 'docker-config');
process.env.DOCKER_CONFIG = dockerConfig;

/** A keychain as the OS gives one to Electron's safeStorage: a key this process alone holds. */
function keychain(): SecretCipher & { locked: boolean } {
  const key = randomBytes(32);
  return {
    locked: false,
    available() {
      return !this.locked;
    },
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('logins the app saves are sealed by the keychain', () => {
  let registry: RunningRegistry;
  const root = join(work, 'store');
  const secrets = keychain();

  before(async () => {
    registry = await startRegistry({ htpasswd: { carol: 'kept-secret' } });
    await layoutWithImages(join(work, 'layout'), [{ refName: 'v1', layers: await randomLayers([50_000]) }]);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'layout'), '--name', 'localhost/app']).code, 0);
  });
  after(() => registry.stop());

  it('keeps the password out of config.json and out of plain sight, and uses it to push and pull', async () => {
    const engine = new Engine(root, { secrets });
    const login = await engine
      .handlers()
      ['registry.login']({ registry: registry.host, username: 'carol', password: 'kept-secret' });
    assert.equal(login.storedIn, 'the system keychain');
    assert.ok(!existsSync(join(dockerConfig, 'config.json')), 'docker config.json untouched');
    const sealedFile = readFileSync(join(root, 'registry', 'sealed-credentials.json'), 'utf8');
    assert.ok(!sealedFile.includes('kept-secret') && !sealedFile.includes(Buffer.from('carol:kept-secret').toString('base64')));

    await engine.pushImage({ ref: 'localhost/app:v1', target: `${registry.host}/team/app:v1` });
    // A new engine on the same store (the app restarted) reads the sealed login back.
    const restarted = new Engine(root, { secrets });
    const pulled = await restarted.pullImage({ ref: `${registry.host}/team/app:v1` });
    assert.equal(pulled.reference, `${registry.host}/team/app:v1`);
    // Without the keychain there is no login: the registry refuses.
    await assert.rejects(
      new Engine(join(work, 'elsewhere')).pullImage({ ref: `${registry.host}/team/app:v1` }),
      /login required/,
    );
  });

  it('falls back to where docker keeps logins when no keychain is reachable', async () => {
    secrets.locked = true;
    const engine = new Engine(join(work, 'locked'), { secrets });
    const login = await engine
      .handlers()
      ['registry.login']({ registry: registry.host, username: 'carol', password: 'kept-secret' });
    assert.equal(login.storedIn, join(dockerConfig, 'config.json'));
    secrets.locked = false;
  });

  it('does not claim the keychain where safeStorage has only basic_text (Linux without a keyring)', async () => {
    // Chromium's basic_text backend "encrypts" with a key hard-coded in the browser: obfuscation.
    const basicText: SecretCipher = { ...keychain(), backend: () => 'basic_text' };
    const where = join(work, 'basic-text');
    const engine = new Engine(where, { secrets: basicText });
    const login = await engine
      .handlers()
      ['registry.login']({ registry: registry.host, username: 'carol', password: 'kept-secret' });
    assert.notEqual(login.storedIn, 'the system keychain');
    assert.equal(login.storedIn, join(dockerConfig, 'config.json'), 'said where it really went, as docker would');
    assert.ok(!existsSync(join(where, 'registry', 'sealed-credentials.json')), 'nothing stored as if sealed');
    const pulled = await new Engine(where, { secrets: basicText }).pullImage({ ref: `${registry.host}/team/app:v1` });
    assert.equal(pulled.reference, `${registry.host}/team/app:v1`, 'the login still works');
    await engine.handlers()['registry.logout']({ registry: registry.host });
  });

  it('logout removes the sealed login', async () => {
    const engine = new Engine(root, { secrets });
    const out = await engine.handlers()['registry.logout']({ registry: registry.host });
    assert.equal(out.removed, true);
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'registry', 'sealed-credentials.json'), 'utf8')), {});
  });
});
