import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { after, test } from 'node:test';
import type { NetworkSummary } from '../core/api/networks.schema';
import { stevedore } from '../testkit/cli';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage, removeAllContainers } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: a Networks view in the sidebar: list (driver, subnet, the containers on each),
// create (checked as the CLI checks it), inspect with its containers (one opens that container),
// remove (the engine's refusal when in use), prune with what goes shown first.

let storeRoot = '';
// Registered before containerApp's hooks: they run after this one, so the containers go first here,
// then the networks (host-wide kernel objects), before the store is deleted.
after(() => {
  if (!storeRoot) return;
  removeAllContainers(storeRoot);
  stevedore(storeRoot, ['network', 'prune', '-f']);
});
const { root, running } = containerApp('stevedore-e2e-networks-view-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
  for (const name of ['backend', 'spare']) {
    const made = stevedore(store, ['network', 'create', name]);
    assert.equal(made.code, 0, made.stderr);
  }
  const api = stevedore(store, ['run', '-d', '--name', 'api', '--network', 'backend', 'busybox:latest', 'sleep', '1000']);
  assert.equal(api.code, 0, api.stderr);
});
storeRoot = root;

/**
 * The first three numbers of a /24 that no route on this host uses: networks are the whole
 * machine's, and another suite running beside this one makes some too (a fixed subnet was taken).
 */
function unusedPrefix(): string {
  const routes = spawnSync('ip', ['-4', 'route'], { encoding: 'utf8' }).stdout;
  for (;;) {
    const prefix = `10.${240 + randomInt(10)}.${randomInt(256)}`;
    if (!routes.includes(`${prefix}.`)) return prefix;
  }
}

function networks(): NetworkSummary[] {
  return cliJson<NetworkSummary[]>(root, ['network', 'ls', '--json']);
}
const networkNames = () =>
  networks()
    .map((n) => n.name)
    .sort();

test('Networks: see what is on each, create one checked as the CLI checks it, inspect, remove, prune', async (t) => {
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const backend = networks().find((n) => n.name === 'backend');
  assert.ok(backend?.subnet);

  await page.getByTestId('nav-networks').click();
  const rows = page.getByTestId('network-row');
  await eventually(async () => assert.equal(await rows.count(), 5));
  const row = (name: string) => page.locator(`[data-testid="network-row"][data-name="${name}"]`);
  assert.match(await visibleText(row('backend')), new RegExp(`bridge\\s+${backend.subnet.replaceAll('.', '\\.')}`));
  assert.match(await visibleText(row('backend').getByTestId('network-containers')), /\bapi\b/);
  assert.match(await visibleText(row('spare').getByTestId('network-containers')), /None/);
  // The three docker always lists are there, and cannot be removed.
  for (const name of ['bridge', 'host', 'none']) {
    assert.equal(await row(name).count(), 1);
    assert.equal(
      await row(name)
        .getByRole('button', { name: `Remove ${name}` })
        .count(),
      0,
    );
  }
  await page.screenshot({ path: screenshotPath('networks-view') });

  // Create: the name and the subnet refused as they are typed, in the CLI's words.
  await page.getByTestId('networks-create').click();
  const create = page.getByRole('dialog', { name: 'Create a network' });
  await create.getByLabel('Name', { exact: true }).fill('bad name');
  assert.match(await visibleText(create), /Invalid network name "bad name": only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed/);
  assert.ok(await create.getByTestId('create-network-submit').isDisabled());
  await create.getByLabel('Name', { exact: true }).fill('fresh');
  const prefix = unusedPrefix();
  await create.getByLabel('Subnet', { exact: true }).fill(`${prefix}.9/24`);
  assert.ok(
    (await visibleText(create)).includes(`Invalid subnet "${prefix}.9/24": its network address is ${prefix}.0/24`),
    await visibleText(create),
  );
  assert.ok(await create.getByTestId('create-network-submit').isDisabled());
  await create.getByLabel('Subnet', { exact: true }).fill(`${prefix}.0/24`);
  await page.screenshot({ path: screenshotPath('networks-create') });
  await create.getByTestId('create-network-submit').click();
  await eventually(async () => assert.equal(await rows.count(), 6));
  assert.equal(networks().find((n) => n.name === 'fresh')?.subnet, `${prefix}.0/24`);
  // The engine's own refusal (a name taken) shows in the dialog, in one sentence.
  await page.getByTestId('networks-create').click();
  await create.getByLabel('Name', { exact: true }).fill('fresh');
  await create.getByTestId('create-network-submit').click();
  assert.equal(await visibleText(create.getByTestId('create-network-error')), 'Network with name fresh already exists');
  await create.getByRole('button', { name: 'Cancel' }).click();

  // Inspect: its subnet, gateway and containers; a container opens its detail.
  await row('backend').getByTestId('network-open').click();
  const detail = page.getByTestId('network-detail');
  await detail.waitFor();
  const text = await visibleText(detail);
  assert.match(text, new RegExp(backend.id.slice(0, 12)));
  assert.match(text, new RegExp((backend.gateway ?? '').replaceAll('.', '\\.')));
  const member = detail.getByTestId('network-container');
  assert.equal(await member.count(), 1);
  const address = cliJson<{ networks?: { name: string; ipAddress: string | null }[] }>(root, [
    'inspect',
    '--json',
    'api',
  ]).networks?.find((n) => n.name === 'backend')?.ipAddress;
  assert.ok(address);
  assert.match(await visibleText(member), new RegExp(`api[\\s\\S]*${address.replaceAll('.', '\\.')}`));
  await page.screenshot({ path: screenshotPath('networks-inspect') });
  await member.getByRole('button', { name: 'api' }).click();
  await page.getByTestId('container-detail').waitFor();

  // Remove: one in use is refused with the engine's reason, and stays.
  await page.getByTestId('nav-networks').click();
  await row('backend').getByRole('button', { name: 'Remove backend' }).click();
  const remove = page.getByRole('dialog', { name: 'Remove backend?' });
  await remove.getByTestId('remove-network-confirm').click();
  // The engine's own sentence, as the CLI prints it (`error: …`), one line.
  const refused = stevedore(root, ['network', 'rm', 'backend']);
  assert.notEqual(refused.code, 0);
  const reason = refused.stderr.trim().replace(/^error: /, '');
  assert.match(reason, /^[^\n]*backend[^\n]*$/);
  await eventually(async () =>
    assert.equal(await visibleText(remove.getByTestId('remove-network-error')), reason.charAt(0).toUpperCase() + reason.slice(1)),
  );
  await page.screenshot({ path: screenshotPath('networks-remove-refused') });
  await remove.getByRole('button', { name: 'Cancel' }).click();
  assert.ok(networkNames().includes('backend'));
  await row('fresh').getByRole('button', { name: 'Remove fresh' }).click();
  await page.getByRole('dialog', { name: 'Remove fresh?' }).getByTestId('remove-network-confirm').click();
  await eventually(async () => assert.equal(await rows.count(), 5));
  assert.deepEqual(networkNames(), ['backend', 'bridge', 'host', 'none', 'spare']);

  // Prune: what goes is shown first (spare: no container; backend stays, built-ins are never pruned).
  await page.getByTestId('networks-prune').click();
  const prune = page.getByRole('dialog', { name: 'Prune networks' });
  const going = await visibleText(prune.getByTestId('prune-networks-list'));
  assert.match(going, /\bspare\b/);
  assert.doesNotMatch(going, /\b(backend|bridge|host|none)\b/);
  await page.screenshot({ path: screenshotPath('networks-prune') });
  await prune.getByTestId('prune-networks-confirm').click();
  assert.match(await visibleText(prune.getByTestId('prune-networks-result')), /Removed 1 network: spare/);
  await eventually(async () => assert.equal(await rows.count(), 4));
  assert.deepEqual(networkNames(), ['backend', 'bridge', 'host', 'none']);
  assert.deepEqual(pageErrors, []);
});
