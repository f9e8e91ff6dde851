import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ContainerDetail } from '../core/api/containers.schema';
import type { NetworkSummary } from '../core/api/networks.schema';
import { stevedore } from '../testkit/cli';
import { busyboxLayer } from '../testkit/layers';
import { ensureTestUser, killNamespaceHolder, stevedoreAs, userTempDir } from '../testkit/normalUser';
import { tempDir } from '../testkit/tempDir';
import { removeAllContainers } from './support/containers';
import { cliJson, loadImages } from './support/images';

// Issue 17, networks as docker has them: a container on several networks (one interface on each,
// eth0, eth1… in connect order), connected and disconnected while it runs; network rm refused
// while a running container is on the network. Real runc, bridges and nftables, as root.

let root = '';
// Registered before tempDir's hook, so it runs first: the containers and networks go before the store.
after(() => {
  if (!root) return;
  removeAllContainers(root);
  stevedore(root, ['network', 'prune', '-f']);
});
const work = tempDir('stevedore-e2e-networks-multi-');
root = join(work, 'store');
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
    layers: [await busyboxLayer(['sh', 'cat', 'sleep', 'true', 'wget', 'httpd', 'hostname', 'ip'])],
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
  };
  await loadImages(root, join(work, 'images'), [image]);
});

/** Serves /etc (so /hostname answers with the container's host name) until stopped. */
const SERVE = ['httpd', '-f', '-p', '80', '-h', '/etc'];

function ok(args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function inspect(name: string): ContainerDetail {
  return cliJson<ContainerDetail>(root, ['inspect', '--json', name]);
}

function network(name: string): NetworkSummary {
  const [found] = cliJson<NetworkSummary[]>(root, ['network', 'inspect', '--json', name]);
  assert.ok(found);
  return found;
}

/** The container's IPv4 interfaces as `ip` shows them inside it: name → address/prefix (lo left out). */
function interfaces(container: string): Record<string, string> {
  const out = ok(['exec', container, 'ip', '-o', '-4', 'addr', 'show']);
  const found: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\S+)/.exec(line);
    if (m?.[1] && m[2] && m[1] !== 'lo') found[m[1]] = m[2];
  }
  return found;
}

/** `wget http://NAME/hostname` from inside `container`: the host name served, or the failure. */
function fetchFrom(container: string, name: string): { code: number; out: string } {
  const r = stevedore(root, ['exec', container, 'wget', '-qO-', `http://${name}/hostname`]);
  return { code: r.code, out: r.stdout.trim() };
}

/** The host ends of veth pairs enslaved to a bridge. */
function bridgePorts(bridge: string): string[] {
  const links = JSON.parse(execFileSync('ip', ['-json', 'link', 'show', 'master', bridge], { encoding: 'utf8' })) as {
    ifname: string;
  }[];
  return links.map((l) => l.ifname);
}

function inSubnet(address: string, subnet: string | null): boolean {
  const [base = '', length = '32'] = (subnet ?? '').split('/');
  const toInt = (a: string) => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const mask = 2 ** 32 - 2 ** (32 - Number(length));
  return (toInt(address) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}

test('a container connected to two networks before it starts: eth0 and eth1, an address on each, names of both; inspect lists both', async (t) => {
  t.after(() => removeAllContainers(root));
  ok(['network', 'create', 'alpha']);
  ok(['network', 'create', 'beta']);
  t.after(() => stevedore(root, ['network', 'rm', 'alpha', 'beta']));
  const a = network('alpha');
  const b = network('beta');
  ok(['run', '-d', '--name', 'onalpha', '--network', 'alpha', 'net:latest', ...SERVE]);
  ok(['run', '-d', '--name', 'onbeta', '--network', 'beta', 'net:latest', ...SERVE]);

  ok(['create', '--name', 'both', '--network', 'alpha', 'net:latest', ...SERVE]);
  ok(['network', 'connect', '--alias', 'bothb', 'beta', 'both']);
  ok(['start', 'both']);

  const found = interfaces('both');
  assert.deepEqual(Object.keys(found).sort(), ['eth0', 'eth1'], JSON.stringify(found));
  const [eth0 = '', eth1 = ''] = [found.eth0?.split('/')[0], found.eth1?.split('/')[0]];
  assert.ok(inSubnet(eth0, a.subnet), `eth0 ${eth0} on alpha ${a.subnet}`);
  assert.ok(inSubnet(eth1, b.subnet), `eth1 ${eth1} on beta ${b.subnet}`);

  const detail = inspect('both');
  assert.deepEqual(
    detail.networks?.map((n) => [n.name, n.networkId, n.ipAddress, n.aliases]),
    [
      ['alpha', a.id, eth0, []],
      ['beta', b.id, eth1, ['bothb']],
    ],
  );
  const docker = JSON.parse(ok(['inspect', 'both'])) as {
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  }[];
  assert.deepEqual(
    Object.entries(docker[0]?.NetworkSettings.Networks ?? {}).map(([name, n]) => [name, n.IPAddress]),
    [
      ['alpha', eth0],
      ['beta', eth1],
    ],
  );
  for (const [net, expected] of [
    ['alpha', ['onalpha', 'both']],
    ['beta', ['onbeta', 'both']],
  ] as const) {
    assert.deepEqual(
      network(net).containers.map((c) => c.name),
      expected,
    );
  }

  // Names of both networks, both ways; the two single-network containers still do not see each other.
  assert.equal(fetchFrom('both', 'onalpha').out, inspect('onalpha').hostname);
  assert.equal(fetchFrom('both', 'onbeta').out, inspect('onbeta').hostname);
  assert.equal(fetchFrom('onalpha', 'both').out, detail.hostname);
  assert.equal(fetchFrom('onbeta', 'bothb').out, detail.hostname);
  assert.notEqual(fetchFrom('onalpha', 'onbeta').code, 0);

  // Stopped and started again: the same interfaces, in the same order.
  ok(['stop', 'both']);
  ok(['start', 'both']);
  const again = interfaces('both');
  assert.ok(inSubnet(again.eth0?.split('/')[0] ?? '', a.subnet) && inSubnet(again.eth1?.split('/')[0] ?? '', b.subnet));
  ok(['rm', '-f', 'both']);
  // Nothing of it is left on either bridge: one port each, the single-network containers'.
  assert.equal(bridgePorts(a.bridge ?? '').length, 1);
  assert.equal(bridgePorts(b.bridge ?? '').length, 1);
});

test("run --network A --network B (docker 25): on both from the start, ps lists both; host or none with another, or one twice, refused in docker's words", async (t) => {
  t.after(() => removeAllContainers(root));
  ok(['network', 'create', 'gamma']);
  ok(['network', 'create', 'delta']);
  t.after(() => stevedore(root, ['network', 'rm', 'gamma', 'delta']));
  ok([
    'run',
    '-d',
    '--name',
    'twice',
    '--network',
    'gamma',
    '--network',
    'delta',
    '--network-alias',
    'tw',
    'net:latest',
    ...SERVE,
  ]);
  const found = interfaces('twice');
  assert.ok(inSubnet(found.eth0?.split('/')[0] ?? '', network('gamma').subnet), JSON.stringify(found));
  assert.ok(inSubnet(found.eth1?.split('/')[0] ?? '', network('delta').subnet), JSON.stringify(found));
  assert.deepEqual(
    inspect('twice').networks?.map((n) => [n.name, n.aliases]),
    [
      ['gamma', ['tw']],
      ['delta', ['tw']],
    ],
  );
  assert.equal(ok(['ps', '--filter', 'name=twice', '--format', '{{.Networks}}']), 'gamma,delta');
  for (const [args, message] of [
    [
      ['--network', 'gamma', '--network', 'none'],
      'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
    ],
    [
      ['--network', 'host', '--network', 'gamma'],
      'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
    ],
    [['--network', 'gamma', '--network', 'gamma'], 'network gamma is specified multiple times'],
  ] as const) {
    const r = stevedore(root, ['run', '--rm', ...args, 'net:latest', 'true']);
    assert.deepEqual([r.code, r.stderr.trim()], [125, `error: ${message}`]);
  }
});

test('network connect and disconnect on a running container: the interface comes and goes at once, with its names', async (t) => {
  t.after(() => removeAllContainers(root));
  ok(['network', 'create', 'live']);
  t.after(() => stevedore(root, ['network', 'rm', 'live']));
  const live = network('live');
  ok(['run', '-d', '--name', 'peer', '--network', 'live', 'net:latest', ...SERVE]);
  ok(['run', '-d', '--name', 'mover', 'net:latest', ...SERVE]);
  const before = inspect('mover');
  assert.deepEqual(Object.keys(interfaces('mover')), ['eth0']);

  ok(['network', 'connect', '--alias', 'moved', 'live', 'mover']);
  const found = interfaces('mover');
  assert.deepEqual(Object.keys(found).sort(), ['eth0', 'eth1']);
  assert.equal(found.eth0, before.networks?.[0] ? `${before.networks[0].ipAddress}/${before.networks[0].prefixLength}` : '');
  const eth1 = found.eth1?.split('/')[0] ?? '';
  assert.ok(inSubnet(eth1, live.subnet), `eth1 ${eth1} on ${live.subnet}`);
  assert.deepEqual(
    inspect('mover').networks?.map((n) => [n.name, n.ipAddress]),
    [
      ['bridge', before.ipAddress],
      ['live', eth1],
    ],
  );
  // At once, both ways: by name, and by the alias given to connect.
  assert.equal(fetchFrom('mover', 'peer').out, inspect('peer').hostname);
  assert.equal(fetchFrom('peer', 'mover').out, before.hostname);
  assert.equal(fetchFrom('peer', 'moved').out, before.hostname);
  const again = stevedore(root, ['network', 'connect', 'live', 'mover']);
  assert.equal(again.stderr, 'error: endpoint with name mover already exists in network live\n');

  ok(['network', 'disconnect', 'live', 'mover']);
  assert.deepEqual(Object.keys(interfaces('mover')), ['eth0']);
  assert.notEqual(fetchFrom('peer', 'mover').code, 0);
  assert.notEqual(fetchFrom('mover', 'peer').code, 0);
  assert.doesNotMatch(ok(['exec', 'mover', 'cat', '/etc/hosts']), /\bpeer\b/);
  assert.doesNotMatch(ok(['exec', 'peer', 'cat', '/etc/hosts']), /\bmover\b/);
  assert.deepEqual(
    inspect('mover').networks?.map((n) => n.name),
    ['bridge'],
  );
  assert.equal(bridgePorts(live.bridge ?? '').length, 1);
  // The default bridge can go too (docker allows it); the container keeps running, on no network.
  ok(['network', 'disconnect', 'bridge', 'mover']);
  assert.deepEqual(Object.keys(interfaces('mover')), []);
  ok(['network', 'connect', 'live', 'mover']);
  assert.deepEqual(Object.keys(interfaces('mover')), ['eth0']);
  assert.equal(fetchFrom('mover', 'peer').out, inspect('peer').hostname);
  ok(['rm', '-f', 'mover']);
  assert.equal(bridgePorts(live.bridge ?? '').length, 1);
});

test('--add-host lines stay in /etc/hosts when the container joins networks and neighbours come and go', async (t) => {
  t.after(() => removeAllContainers(root));
  ok(['network', 'create', 'hosts']);
  t.after(() => stevedore(root, ['network', 'rm', 'hosts']));
  const added = /^192\.0\.2\.7\s+extra\.example$/m;
  ok(['run', '-d', '--name', 'keeper', '--network', 'hosts', '--add-host', 'extra.example:192.0.2.7', 'net:latest', ...SERVE]);
  assert.match(ok(['exec', 'keeper', 'cat', '/etc/hosts']), added);
  ok(['run', '-d', '--name', 'neighbour', '--network', 'hosts', 'net:latest', ...SERVE]);
  const hosts = ok(['exec', 'keeper', 'cat', '/etc/hosts']);
  assert.match(hosts, /\bneighbour\b/);
  assert.match(hosts, added);
  ok(['run', '-d', '--name', 'joiner', '--add-host', 'extra.example:192.0.2.7', 'net:latest', ...SERVE]);
  ok(['network', 'connect', 'hosts', 'joiner']);
  assert.match(ok(['exec', 'joiner', 'cat', '/etc/hosts']), added);
  ok(['network', 'disconnect', 'hosts', 'joiner']);
  assert.match(ok(['exec', 'joiner', 'cat', '/etc/hosts']), added);
  assert.doesNotMatch(ok(['exec', 'joiner', 'cat', '/etc/hosts']), /\bneighbour\b/);
});

test('network rm is refused in docker’s words while a running container is on the network, -f or not; a stopped one lets it go', async (t) => {
  t.after(() => removeAllContainers(root));
  ok(['network', 'create', 'busy']);
  t.after(() => stevedore(root, ['network', 'rm', 'busy']));
  const { id } = network('busy');
  ok(['run', '-d', '--name', 'user', '--network', 'busy', 'net:latest', ...SERVE]);
  for (const args of [
    ['network', 'rm', 'busy'],
    ['network', 'rm', '-f', 'busy'],
  ]) {
    const r = stevedore(root, args);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: error while removing network: network busy id ${id} has active endpoints\n`);
  }
  ok(['stop', 'user']);
  assert.equal(ok(['network', 'rm', 'busy']), 'busy');
  // The stopped container is taken off it, and starts on what it has left: nothing.
  assert.deepEqual(
    inspect('user').networks?.map((n) => n.name),
    ['none'],
  );
  ok(['start', 'user']);
  assert.deepEqual(Object.keys(interfaces('user')), []);
});

test('network ls in a rootless store shows the default network as it is: pasta, not the root bridge', {
  skip: process.getuid?.() !== 0 ? 'the suite runs as root to create its normal user' : false,
}, () => {
  const user = ensureTestUser();
  const store = userTempDir(user, 'stevedore-e2e-networks-multi-rootless-');
  userStores.push(store);
  const r = stevedoreAs(user, store, ['network', 'inspect', '--json', 'bridge'], { env: { STEVEDORE_RUNTIME: 'rootless' } });
  assert.equal(r.code, 0, r.stderr);
  const [bridge] = JSON.parse(r.stdout) as NetworkSummary[];
  assert.equal(bridge?.driver, 'pasta');
  assert.equal(bridge?.bridge, null);
  assert.equal(bridge?.subnet, '10.0.2.0/24');
  assert.equal(bridge?.gateway, '10.0.2.2');
  const listed = stevedoreAs(user, store, ['network', 'ls'], { env: { STEVEDORE_RUNTIME: 'rootless' } });
  assert.match(listed.stdout, /^[0-9a-f]{12}\s+bridge\s+pasta\s+local$/m);
});
