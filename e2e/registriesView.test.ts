import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { stevedore } from '../testkit/cli';
import { type CertFiles, selfSigned, serverCertificate } from '../testkit/registry/certs';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson } from './support/images';
import { cliLogin, pushRandomImage } from './support/registryImages';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

const work = tempDir('stevedore-e2e-registries-');
const USER = 'alice';
const PASSWORD = 'wonderland-7f3a';

let browser: Browser;
let registry: RunningRegistry;
let ca: CertFiles;
before(async () => {
  // A registry as a company runs one: TLS with a certificate its own CA signed, and logins.
  ca = selfSigned(work, 'ca', 'Stevedore e2e CA');
  const tls = serverCertificate(work, ca);
  [browser, registry] = await Promise.all([launchBrowser(), startRegistry({ tls, htpasswd: { [USER]: PASSWORD } })]);
  // Seeded from a store of its own, with a login of its own.
  const seedRoot = join(work, 'seed');
  process.env.DOCKER_CONFIG = join(work, 'seed-docker-config');
  const added = stevedore(seedRoot, ['registry', 'add', registry.host, '--ca', ca.cert]);
  assert.equal(added.code, 0, added.stderr);
  await cliLogin(seedRoot, registry.host, USER, PASSWORD);
  await pushRandomImage({
    seedRoot,
    work,
    host: registry.host,
    repository: 'e2e/app',
    tags: ['1.0', '2.0'],
    layerMegabytes: [0.3],
  });
  // The app starts with no login anywhere.
  process.env.DOCKER_CONFIG = join(work, 'app-docker-config');
});
after(async () => {
  await browser?.close();
  await registry?.stop();
});

test('the Registries view adds a TLS registry with its CA, logs in, lists repositories and tags, pulls a tag', async (t) => {
  const root = join(work, 'app');
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const host = registry.host;

  await page.getByTestId('nav-registries').click();
  await page.getByTestId('registries-empty').waitFor();

  // Add it, as a URL; the CA file is read in the page and must be a PEM certificate.
  await page.getByTestId('add-registry').click();
  const add = page.getByTestId('add-registry-dialog');
  await add.getByTestId('registry-host').fill(`https://${host}/v2/`);
  const junk = join(work, 'notes.txt');
  writeFileSync(junk, 'not a certificate\n');
  await add.getByTestId('registry-ca').setInputFiles(junk);
  await eventually(async () => assert.match(await visibleText(add), /notes\.txt is not a PEM certificate/));
  await add.getByTestId('registry-ca').setInputFiles(ca.cert);
  await eventually(async () =>
    assert.match(await visibleText(add.getByTestId('registry-ca-chosen')), /^ca\.crt \(.+\), trusted/),
  );
  await page.screenshot({ path: screenshotPath('registries-add') });
  await add.getByTestId('add-registry-submit').click();
  await add.waitFor({ state: 'detached' });

  const item = page.locator(`[data-testid="registry-item"][data-host="${host}"]`);
  await item.waitFor();
  assert.match(await visibleText(item), /Not logged in[\s\S]*CA/);
  const panel = page.getByTestId('registry-panel');
  assert.equal(await visibleText(panel.getByTestId('registry-panel-host')), host);

  // The CA is trusted (else the refusal would be about TLS), but the catalog needs a login.
  const refused = panel.getByTestId('catalog-refused');
  await refused.waitFor();
  assert.match(
    await visibleText(refused),
    new RegExp(`${host} does not list its repositories\\.[\\s\\S]*Login required for ${host}\\.`),
  );

  await page.screenshot({ path: screenshotPath('registries-catalog-refused') });

  // A wrong password is refused by the registry, and cleared from the form.
  await panel.getByTestId('login-button').click();
  const login = page.getByTestId('login-dialog');
  await login.getByTestId('login-username').fill(USER);
  await login.getByTestId('login-password').fill('wrong-password');
  await login.getByTestId('login-submit').click();
  await eventually(async () =>
    assert.match(await visibleText(login.getByTestId('login-error')), new RegExp(`refused the credentials of ${USER}`)),
  );
  assert.equal(await login.getByTestId('login-password').inputValue(), '');
  await login.getByTestId('login-password').fill(PASSWORD);
  await login.getByTestId('login-submit').click();
  await login.waitFor({ state: 'detached' });
  await eventually(async () =>
    assert.match(
      await visibleText(panel.getByTestId('registry-login-state')),
      new RegExp(`^Logged in as ${USER} · trusts its own CA`),
    ),
  );
  const saved = JSON.parse(readFileSync(join(work, 'app-docker-config', 'config.json'), 'utf8')) as { auths: object };
  assert.ok(
    Object.keys(saved.auths).some((key) => key.includes(host)),
    'saved in Docker’s config.json',
  );

  // Now the catalog answers; a repository's tags, sorted.
  const repository = panel.getByTestId('catalog-repository');
  await eventually(async () => assert.deepEqual(await repository.allTextContents(), ['e2e/app']));
  await repository.first().click();
  const tags = panel.getByTestId('tag-row');
  await eventually(async () =>
    assert.deepEqual(await tags.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag'))), ['1.0', '2.0']),
  );
  await page.screenshot({ path: screenshotPath('registries-tags') });

  // One click pulls a tag; the row says when it is in the store.
  const tag = panel.locator('[data-testid="tag-row"][data-tag="2.0"]');
  await tag.getByRole('button', { name: `Pull ${host}/e2e/app:2.0` }).click();
  await eventually(async () => assert.equal(await visibleText(tag.getByTestId('tag-status')), 'Pulled'), 15_000);
  const [image] = cliJson<ImageSummary[]>(root, ['images']);
  assert.equal(image?.reference, `${host}/e2e/app:2.0`);

  // A typed repository that does not exist is the registry's answer, in the list's place.
  await panel.getByTestId('open-repository').fill('e2e/missing');
  await panel.getByTestId('open-repository').press('Enter');
  await eventually(async () => assert.match(await visibleText(panel.getByTestId('tags-error')), /e2e\/missing/));

  // The password was never shown back.
  assert.ok(!(await page.content()).includes(PASSWORD));

  // Log out: the login is gone from Docker's config, and the catalog is refused again.
  await panel.getByTestId('logout-button').click();
  await eventually(async () => assert.match(await visibleText(panel.getByTestId('registry-login-state')), /^Not logged in/));
  await refused.waitFor();
  const after = JSON.parse(readFileSync(join(work, 'app-docker-config', 'config.json'), 'utf8')) as { auths?: object };
  assert.ok(!Object.keys(after.auths ?? {}).some((key) => key.includes(host)));

  await page.getByTestId('nav-images').click();
  await eventually(async () => assert.equal(await visibleText(page.getByTestId('image-row').getByTestId('row-tag')), '2.0'));
  assert.deepEqual(pageErrors, []);
});
