import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ContainerDetail } from '../core/api/containers.schema';
import type { NetworkSummary } from '../core/api/networks.schema';
import { stevedore, stevedoreAsync } from '../testkit/cli';
import { busyboxLayer } from '../testkit/layers';
import { ensureTestUser, killNamespaceHolder, stevedoreAs, userTempDir } from '../testkit/normalUser';
import { tempDir } from '../testkit/tempDir';
import { removeAllContainers } from './support/containers';
import { cliJson, loadImages } from './support/images';

// Issue 17, user-defined networks, against real runc as root: bridges, nftables rules and the
// host-wide state in /run/stevedore/network. Two stores, as two engines on one host.

let roots: readonly [string, string] = ['', ''];
// Registered before tempDir's hook, so it runs first: the containers and networks go before their stores.
after(() => {
  for (const root of roots.filter(Boolean)) {
    removeAllContainers(root);
    stevedore(root, ['network', 'prune', '-f']);
  }
});
const work = tempDir('stevedore-e2e-networks-');
roots = [join(work, 'store-a'), join(work, 'store-b')];
const [rootA, rootB] = roots;
/** Stores of the normal user's, removed with the file. */
const userStores: string[] = [];
after(() => {
  for (const dir of userStores) {
    killNamespaceHolder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});
before(async () => {
  const image = {
    refName: 'net:latest',
    layers: [await busyboxLayer(['sh', 'cat', 'sleep', 'true', 'wget', 'httpd', 'hostname'])],
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
  };
  await Promise.all(roots.map((root, i) => loadImages(root, join(work, `images-${i}`), [image])));
});

/** Serves /etc (so /hostname answers with the container's host name) until stopped. */
const SERVE = ['httpd', '-f', '-p', '80', '-h', '/etc'];

function ok(root: string, args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function serve(root: string, name: string, flags: string[]): ContainerDetail {
  const id = ok(root, ['run', '-d', '--name', name, ...flags, 'net:latest', ...SERVE]);
  return cliJson<ContainerDetail>(root, ['inspect', '--json', id]);
}

/** `wget http://NAME/hostname` (busybox's wget -T crashes, so none) from a throwaway container with `flags`: the host name served, or the failure. */
function fetchName(root: string, flags: string[], name: string): { code: number; out: string } {
  const r = stevedore(root, ['run', '--rm', ...flags, 'net:latest', 'wget', '-qO-', `http://${name}/hostname`]);
  return { code: r.code, out: r.stdout.trim() };
}

/** What a network leaves on the host and in its store: none of it may outlive `network rm`. */
function traces(root: string, id: string): string[] {
  const found: string[] = [];
  const bridges = JSON.parse(execFileSync('ip', ['-json', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' })) as {
    ifname: string;
  }[];
  if (bridges.some((b) => b.ifname === `sdn-${id.slice(0, 11)}`)) found.push('bridge');
  const table = execFileSync('nft', ['list', 'table', 'ip', 'stevedore'], { encoding: 'utf8' });
  if (table.includes(`comment "network ${id.slice(0, 12)}"`)) found.push('nftables rules');
  if (existsSync(`/run/stevedore/network/networks/${id}.json`)) found.push('host-wide claim');
  if (existsSync(join(root, 'networks', `${id}.json`))) found.push('definition in the store');
  return found;
}

test('two containers on a user network reach each other by name and alias; the default bridge and other networks do not resolve them', async (t) => {
  t.after(() => removeAllContainers(rootA));
  const id = ok(rootA, ['network', 'create', 'front']);
  assert.match(id, /^[0-9a-f]{64}$/);
  const otherId = ok(rootA, ['network', 'create', '--internal', 'other']);
  assert.deepEqual(traces(rootA, id), ['bridge', 'nftables rules', 'host-wide claim', 'definition in the store']);

  const listed = ok(rootA, ['network', 'ls']).split('\n');
  assert.match(listed[0] ?? '', /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
  for (const [name, driver] of [
    ['bridge', 'bridge'],
    ['host', 'host'],
    ['none', 'null'],
    ['front', 'bridge'],
  ]) {
    assert.ok(
      listed.some((line) => new RegExp(`^[0-9a-f]{12}\\s+${name}\\s+${driver}\\s+local$`).test(line)),
      `${name} listed: ${listed.join('\n')}`,
    );
  }

  const web = serve(rootA, 'web', ['--network', 'front', '--network-alias', 'www']);
  const api = serve(rootA, 'api', ['--network', 'front']);
  assert.equal(web.network, 'front');
  assert.deepEqual(
    web.networks?.map((n) => [n.name, n.aliases]),
    [['front', ['www']]],
  );
  assert.match(web.networks?.[0]?.ipAddress ?? '', /^10\.214\./);

  // By name and by alias, from a container that joins later and from the earlier one to the later.
  assert.deepEqual(fetchName(rootA, ['--network', 'front'], 'web'), { code: 0, out: web.hostname });
  assert.deepEqual(fetchName(rootA, ['--network', 'front'], 'www'), { code: 0, out: web.hostname });
  assert.equal(ok(rootA, ['exec', 'web', 'wget', '-qO-', 'http://api/hostname']), api.hostname);
  assert.equal(ok(rootA, ['exec', 'api', 'wget', '-qO-', 'http://www/hostname']), web.hostname);

  // Not on the default bridge (docker resolves no names there), nor on another network.
  for (const flags of [[], ['--network', 'other']]) {
    const r = fetchName(rootA, flags, 'web');
    assert.notEqual(r.code, 0, `resolved from ${flags.join(' ') || 'the default bridge'}`);
    assert.doesNotMatch(r.out, new RegExp(web.hostname));
  }

  // Refused in docker's words while containers on it run; a container that leaves is forgotten by the others.
  const refused = stevedore(rootA, ['network', 'rm', 'front']);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `error: error while removing network: network front id ${id} has active endpoints\n`);
  ok(rootA, ['rm', '-f', 'api']);
  const left = stevedore(rootA, ['exec', 'web', 'wget', '-qO-', 'http://api/hostname']);
  assert.notEqual(left.code, 0);
  assert.doesNotMatch(ok(rootA, ['exec', 'web', 'cat', '/etc/hosts']), /\bapi\b/);

  ok(rootA, ['rm', '-f', 'web']);
  assert.equal(ok(rootA, ['network', 'rm', 'front', 'other']), 'front\nother');
  assert.deepEqual(traces(rootA, id), []);
  assert.deepEqual(traces(rootA, otherId), []);
  const builtin = stevedore(rootA, ['network', 'rm', 'bridge']);
  assert.equal(builtin.stderr, 'error: bridge is a pre-defined network and cannot be removed\n');
});

test('two stores create networks at once: different subnets and bridges, and neither breaks the other', async (t) => {
  t.after(() => {
    for (const root of roots) removeAllContainers(root);
  });
  const made = await Promise.all(
    roots.flatMap((root) => ['one', 'two'].map((name) => stevedoreAsync(root, ['network', 'create', name]))),
  );
  for (const r of made) assert.equal(r.code, 0, r.stderr);
  const networks = roots.flatMap((root) =>
    cliJson<NetworkSummary[]>(root, ['network', 'inspect', '--json', 'one', 'two']).map((n) => ({ ...n, root })),
  );
  assert.equal(new Set(networks.map((n) => n.subnet)).size, 4, JSON.stringify(networks.map((n) => n.subnet)));
  assert.equal(new Set(networks.map((n) => n.bridge)).size, 4);
  for (const n of networks) assert.equal(n.root, n.root === rootA ? rootA : rootB);

  // The same names in both stores, each answering on its own network.
  const webA = serve(rootA, 'web', ['--network', 'one']);
  const webB = serve(rootB, 'web', ['--network', 'one']);
  assert.deepEqual(fetchName(rootA, ['--network', 'one'], 'web'), { code: 0, out: webA.hostname });
  assert.deepEqual(fetchName(rootB, ['--network', 'one'], 'web'), { code: 0, out: webB.hostname });

  // Store A's networks go; store B's keep working, and store B's are untouched.
  ok(rootA, ['rm', '-f', 'web']);
  assert.equal(ok(rootA, ['network', 'prune', '-f']), 'Deleted Networks:\none\ntwo');
  for (const n of networks.filter((n) => n.root === rootA)) assert.deepEqual(traces(rootA, n.id), []);
  assert.deepEqual(fetchName(rootB, ['--network', 'one'], 'web'), { code: 0, out: webB.hostname });
  // Prune keeps what a container names.
  assert.equal(ok(rootB, ['network', 'prune', '-f']), 'Deleted Networks:\ntwo');
  ok(rootB, ['rm', '-f', 'web']);
  ok(rootB, ['network', 'rm', 'one']);
  for (const n of networks) assert.deepEqual(traces(n.root, n.id), []);
});

test('network connect and disconnect a stopped container: it joins at its next start, beside the default bridge', async (t) => {
  t.after(() => removeAllContainers(rootA));
  ok(rootA, ['network', 'create', 'back']);
  t.after(() => stevedore(rootA, ['network', 'rm', 'back']));
  const db = serve(rootA, 'db', []);
  assert.equal(db.network, 'bridge');
  ok(rootA, ['stop', 'db']);
  ok(rootA, ['network', 'connect', '--alias', 'database', 'back', 'db']);
  ok(rootA, ['start', 'db']);
  assert.deepEqual(fetchName(rootA, ['--network', 'back'], 'database'), { code: 0, out: db.hostname });
  assert.deepEqual(
    cliJson<NetworkSummary[]>(rootA, ['network', 'inspect', '--json', 'back']).map((n) => n.containers.map((c) => c.name)),
    [['db']],
  );
  assert.deepEqual(
    cliJson<ContainerDetail>(rootA, ['inspect', '--json', 'db']).networks?.map((n) => n.name),
    ['bridge', 'back'],
  );
  ok(rootA, ['stop', 'db']);
  ok(rootA, ['network', 'disconnect', 'back', 'db']);
  ok(rootA, ['network', 'disconnect', 'bridge', 'db']);
  assert.equal(cliJson<ContainerDetail>(rootA, ['inspect', '--json', 'db']).network, 'none');
  const host = stevedore(rootA, ['network', 'connect', 'host', 'db']);
  assert.equal(host.stderr, 'error: container cannot be disconnected from host network or connected to host network\n');
  ok(rootA, ['network', 'rm', 'back']);
});

test('run --network refuses what it cannot do, in one line', () => {
  const missing = stevedore(rootA, ['run', '--rm', '--network', 'nosuch', 'net:latest', 'true']);
  assert.equal(missing.code, 125);
  assert.equal(missing.stderr, 'error: network nosuch not found\n');
  const shared = stevedore(rootA, ['run', '--rm', '--network', 'container:web', 'net:latest', 'true']);
  assert.equal(shared.stderr, 'error: --network container:NAME (sharing another container’s network) is not supported\n');
  const alias = stevedore(rootA, ['run', '--rm', '--network-alias', 'x', 'net:latest', 'true']);
  assert.equal(alias.stderr, 'error: network-scoped aliases are supported only for containers in user-defined networks\n');
  const overlap = stevedore(rootA, ['network', 'create', '--subnet', '10.213.4.0/24', 'clash']);
  assert.equal(overlap.stderr, 'error: the subnet 10.213.4.0/24 overlaps the default bridge\n');
});

test('the rootless runtime refuses network create in one line: a user network is a bridge on the host', {
  skip: process.getuid?.() !== 0 ? 'the suite runs as root to create its normal user' : false,
}, () => {
  const user = ensureTestUser();
  const root = userTempDir(user, 'stevedore-e2e-networks-rootless-');
  userStores.push(root);
  const r = stevedoreAs(user, root, ['network', 'create', 'mine'], { env: { STEVEDORE_RUNTIME: 'rootless' } });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'error: user-defined networks need root on the host (each is a Linux bridge): the rootless runtime has only its user-mode network\n',
  );
  assert.equal(existsSync(join(root, 'networks')), false);
});
