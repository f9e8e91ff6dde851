import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { eventually } from '../../../testkit/eventually.js';
import { tempDir } from '../../../testkit/tempDir.js';
import { parsePortSpec } from '../../api/portSpec.js';
import { acceptedOrThrow, isStevedoreError } from '../../errors.js';
import { GATEWAY } from './bridgeSubnet.js';
import { createNamespace, interfaceNames, plugIntoBridge } from './containerInterface.js';
import { attachNetwork, detachNetwork, type NetworkAttachment } from './containerNetwork.js';
import { currentBootId, NETWORK_STATE_DIR, newLeaseId, readLeases, withNetworkLock, writeLease } from './leaseStore.js';

// Real kernel parts: network namespaces, veth pairs, the bridge and nftables. Other test files
// (the containers' own) attach at the same time, so every check looks at this file's objects only.
const RUN = `nt${randomBytes(3).toString('hex')}`;
const work = tempDir();
const www = join(work, 'www');
mkdirSync(www);
writeFileSync(join(www, 'index.html'), `hello from ${RUN}\n`);

/** A `-p` text as the engine takes it. */
const portRequest = (text: string) => acceptedOrThrow(parsePortSpec(text));

let serial = 0;
function containerId(): string {
  serial += 1;
  // Unique in its first 12 characters, which name it in rule comments.
  return `${RUN}${String(serial).padStart(3, '0')}-net`;
}

/** Attaches and detaches when the test ends, passed or not. */
async function attach(t: TestContext, ports: string[] = [], id = containerId()): Promise<NetworkAttachment> {
  const attachment = await attachNetwork({ containerId: id, mode: 'bridge', ports: ports.map(portRequest), hostname: id });
  t.after(() => detachNetwork(attachment));
  return attachment;
}

// Whatever a failed test left (an attach made by a child process, say) is released by its lease.
after(async () => {
  for (const lease of readLeases().filter((l) => l.containerId.startsWith(RUN))) {
    await detachNetwork(fromLease(lease.leaseId));
  }
});

function fromLease(leaseId: string): NetworkAttachment {
  return {
    mode: 'bridge',
    netnsPath: null,
    ipAddress: null,
    prefixLength: null,
    gateway: null,
    macAddress: null,
    ports: [],
    resolvConf: '',
    notes: [],
    teardown: { leaseId, ...interfaceNames(leaseId) },
  };
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function netnsNames(): string[] {
  const out = run('ip', ['-json', 'netns', 'list']).trim();
  return out ? (JSON.parse(out) as { name: string }[]).map((n) => n.name) : [];
}

function linkNames(): string[] {
  return (JSON.parse(run('ip', ['-json', 'link', 'show'])) as { ifname: string }[]).map((l) => l.ifname);
}

function publishedRuleComments(): string[] {
  const parsed = JSON.parse(run('nft', ['-json', 'list', 'chain', 'ip', 'stevedore', 'published'])) as {
    nftables: { rule?: { comment?: string } }[];
  };
  return parsed.nftables.flatMap((item) => (item.rule?.comment ? [item.rule.comment] : []));
}

function orphans(): { orphanNetns: string[]; orphanLinks: string[] } {
  const netns = netnsNames();
  const links = linkNames();
  const leased = new Set(readLeases().map((l) => l.leaseId));
  return {
    orphanNetns: netns.filter((n) => /^stevedore-[0-9a-f]{12}$/.test(n) && !leased.has(n.slice(10))),
    orphanLinks: links.filter((n) => /^sd[0-9a-f]{12}$/.test(n) && !leased.has(n.slice(2))),
  };
}

/**
 * Every namespace and veth of Stevedore's belongs to a lease: none was left behind. Other test
 * files attach and detach at the same time, and one listing can catch their objects mid-way (a
 * lease written after the leases were read, its veth made before the links were listed; a lease
 * removed just after its veth): an orphan is one still without a lease a moment later.
 */
async function assertNoOrphans(): Promise<void> {
  const first = orphans();
  if (first.orphanNetns.length === 0 && first.orphanLinks.length === 0) return;
  // One caught mid-way gets its lease (or loses its veth) in a moment; a real orphan never does.
  await eventually(() => {
    const again = orphans();
    assert.deepEqual(
      {
        orphanNetns: first.orphanNetns.filter((n) => again.orphanNetns.includes(n)),
        orphanLinks: first.orphanLinks.filter((n) => again.orphanLinks.includes(n)),
      },
      { orphanNetns: [], orphanLinks: [] },
    );
  }, 5000);
}

/**
 * What a detach removes at once (the namespace, its rules; the lease, or all of it but the address
 * while the veth pair is still there), and the pair, which the kernel takes with the namespace a
 * moment later.
 */
async function assertGone(attachment: NetworkAttachment): Promise<void> {
  const teardown = attachment.teardown!;
  assert.ok(!netnsNames().includes(teardown.netnsName), 'the namespace is gone');
  assert.ok(!existsSync(attachment.netnsPath!), 'its bind mount is gone');
  assert.ok(!publishedRuleComments().some((c) => c.endsWith(`lease ${teardown.leaseId}`)), 'its rules are gone');
  const kept = readLeases().find((l) => l.leaseId === teardown.leaseId);
  if (kept) assert.ok(kept.released && kept.ports.length === 0, 'a lease kept is released, with its address only');
  await eventually(() => assert.ok(!linkNames().includes(teardown.hostInterface), 'the veth is gone'), 5000);
}

/** The lease of a detached container is gone: dropped at detach, or by the next attach once its veth went. */
function assertLeaseGone(attachment: NetworkAttachment): void {
  const leaseId = attachment.teardown!.leaseId;
  assert.ok(!existsSync(join(NETWORK_STATE_DIR, 'leases', `${leaseId}.json`)), 'its lease is gone');
}

/** busybox httpd inside the namespace, serving `www`; stopped when the test ends. */
async function startHttpd(t: TestContext, attachment: NetworkAttachment): Promise<void> {
  const child = spawn(
    'ip',
    ['netns', 'exec', attachment.teardown!.netnsName, '/bin/busybox', 'httpd', '-f', '-p', '80', '-h', www],
    {
      stdio: 'ignore',
    },
  );
  t.after(() => stop(child));
  await eventually(() => httpGet(`http://${attachment.ipAddress}/`).then(() => undefined), 5000, 20);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function httpGet(url: string, timeout = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, timeout }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Runs a node script inside a namespace; its stdout, or an error with its stderr. */
function inNamespace(netnsName: string, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netnsName, process.execPath, '-e', script]);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err.trim()}`))));
  });
}

/** An HTTP GET in node: prints the body, fails on error or after two seconds. */
function httpClient(url: string): string {
  return `require('http').get('${url}', { timeout: 2000 }, (r) => { let d = ''; r.on('data', (c) => d += c); r.on('end', () => process.stdout.write(d)); })
    .on('timeout', () => { console.error('timeout'); process.exit(3); }).on('error', (e) => { console.error(e.message); process.exit(2); });`;
}

/** A TCP client in node: prints what the server sends, fails on error or after `timeout` ms. */
function tcpClient(host: string, port: number, timeout = 1000): string {
  return `const s = require('net').connect(${port}, '${host}'); let d = '';
    s.setTimeout(${timeout}, () => { console.error('timeout'); process.exit(3); });
    s.on('data', (c) => d += c); s.on('end', () => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(2); });`;
}

function listen(t: TestContext, host: string, port = 0, greeting = ''): Promise<Server> {
  const server = createServer((socket) => socket.end(greeting));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return address.port;
}

/** This host's own IPv4 address other than loopback and Stevedore's bridge, if it has one. */
function hostAddress(): string | undefined {
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (name === 'stevedore0' || name.startsWith('sd')) continue;
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return undefined;
}

async function freePort(t: TestContext): Promise<number> {
  const server = await listen(t, '0.0.0.0');
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function assertConflict(err: unknown, message: string): true {
  assert.ok(isStevedoreError(err), String(err));
  assert.equal(err.code, 'CONFLICT');
  assert.equal(err.message, message);
  return true;
}

describe('container networking on the stevedore0 bridge (real namespaces, veth pairs, nftables)', () => {
  it('gives the container eth0 with its own address, lo up, a default route via the gateway and a resolv.conf', async (t) => {
    const a = await attach(t);
    assert.equal(a.mode, 'bridge');
    assert.equal(a.netnsPath, `/run/netns/${a.teardown!.netnsName}`);
    assert.ok(existsSync(a.netnsPath));
    assert.match(a.ipAddress ?? '', /^10\.213\.\d+\.\d+$/);
    assert.equal(a.gateway, GATEWAY);
    const ns = a.teardown!.netnsName;
    const links = JSON.parse(run('ip', ['-netns', ns, '-json', 'addr', 'show'])) as {
      ifname: string;
      operstate: string;
      flags: string[];
      address: string;
      addr_info: { family: string; local: string; prefixlen: number }[];
    }[];
    const eth0 = links.find((l) => l.ifname === 'eth0');
    assert.ok(eth0);
    assert.ok(eth0.flags.includes('UP'));
    assert.equal(eth0.address, a.macAddress);
    assert.deepEqual(
      eth0.addr_info.filter((i) => i.family === 'inet').map((i) => `${i.local}/${i.prefixlen}`),
      [`${a.ipAddress}/16`],
    );
    assert.ok(links.find((l) => l.ifname === 'lo')?.flags.includes('UP'));
    const routes = JSON.parse(run('ip', ['-netns', ns, '-json', 'route', 'show', 'default'])) as { gateway: string }[];
    assert.deepEqual(
      routes.map((r) => r.gateway),
      [GATEWAY],
    );
    assert.match(a.resolvConf, /^nameserver \S+$/m);
    assert.doesNotMatch(a.resolvConf, /nameserver 127\./);
    assert.ok(linkNames().includes(a.teardown!.hostInterface));
  });

  it('publishes ports: on 127.0.0.1 only, and on 0.0.0.0 (loopback and the host’s own address)', async (t) => {
    const a = await attach(t, ['127.0.0.1::80', '80']);
    const [local, any] = a.ports;
    assert.ok(local && any);
    assert.equal(local.hostIp, '127.0.0.1');
    assert.equal(any.hostIp, '0.0.0.0');
    assert.ok(local.hostPort > 0 && any.hostPort > 0 && local.hostPort !== any.hostPort);
    await startHttpd(t, a);
    const expected = `hello from ${RUN}\n`;
    assert.equal(await httpGet(`http://127.0.0.1:${local.hostPort}/`), expected);
    assert.equal(await httpGet(`http://127.0.0.1:${any.hostPort}/`), expected);
    const own = hostAddress();
    if (own) {
      assert.equal(await httpGet(`http://${own}:${any.hostPort}/`), expected);
      await assert.rejects(httpGet(`http://${own}:${local.hostPort}/`, 500), 'a 127.0.0.1 port is not published elsewhere');
    }
    // Hairpin: the container reaches its own published port through the host.
    assert.equal(await inNamespace(a.teardown!.netnsName, httpClient(`http://${own ?? GATEWAY}:${any.hostPort}/`)), expected);
  });

  it('publishes a udp port', async (t) => {
    const a = await attach(t, ['127.0.0.1::53/udp']);
    const port = a.ports[0]!.hostPort;
    const echo = spawn('ip', [
      'netns',
      'exec',
      a.teardown!.netnsName,
      process.execPath,
      '-e',
      `const s = require('dgram').createSocket('udp4'); s.on('message', (m, r) => s.send('echo ' + m, r.port, r.address)); s.bind(53, () => console.log('ready'));`,
    ]);
    t.after(() => stop(echo));
    await new Promise((resolve) => echo.stdout.once('data', resolve));
    const { createSocket } = await import('node:dgram');
    const client = createSocket('udp4');
    t.after(() => client.close());
    const reply = new Promise<string>((resolve) => client.once('message', (m) => resolve(m.toString())));
    client.send('ping', port, '127.0.0.1');
    assert.equal(await reply, 'echo ping');
  });

  it('lets two containers reach each other by address, and the outside through NAT', async (t) => {
    const [a, b] = await Promise.all([attach(t), attach(t)]);
    assert.notEqual(a.ipAddress, b.ipAddress);
    await startHttpd(t, b);
    assert.equal(await inNamespace(a.teardown!.netnsName, httpClient(`http://${b.ipAddress}/`)), `hello from ${RUN}\n`);

    // "The outside": a namespace on a network of its own (TEST-NET-2) routed by the host.
    const tag = randomBytes(2).toString('hex');
    const remote = `nettest-remote-${tag}`;
    const hostEnd = `ntr${tag}`;
    run('ip', ['netns', 'add', remote]);
    t.after(() => {
      spawnSync('ip', ['link', 'delete', hostEnd]);
      spawnSync('ip', ['netns', 'delete', remote]);
    });
    run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', remote]);
    run('ip', ['addr', 'add', '198.51.100.1/24', 'dev', hostEnd]);
    run('ip', ['link', 'set', hostEnd, 'up']);
    run('ip', ['-netns', remote, 'addr', 'add', '198.51.100.2/24', 'dev', 'eth0']);
    run('ip', ['-netns', remote, 'link', 'set', 'eth0', 'up']);
    const server = spawn('ip', [
      'netns',
      'exec',
      remote,
      process.execPath,
      '-e',
      `require('net').createServer((s) => s.end(s.remoteAddress)).listen(7000, '0.0.0.0', () => console.log('ready'));`,
    ]);
    t.after(() => stop(server));
    await new Promise((resolve) => server.stdout.once('data', resolve));
    // The remote has no route back to 10.213/16: it can only answer because the source was masqueraded.
    assert.equal(await inNamespace(a.teardown!.netnsName, tcpClient('198.51.100.2', 7000)), '198.51.100.1');
  });

  it('keeps the host’s loopback services out of containers’ reach, although the bridge routes 127.0.0.1', async (t) => {
    const a = await attach(t);
    const server = await listen(t, '0.0.0.0', 0, 'host service');
    const port = portOf(server);
    const ns = a.teardown!.netnsName;
    // A hostile container (CAP_NET_RAW is enough in practice) sends packets to 127.0.0.1 via the
    // gateway; here root sets its routing up to do the same.
    run('ip', ['netns', 'exec', ns, '/bin/busybox', 'sysctl', '-w', 'net.ipv4.conf.all.route_localnet=1']);
    run('ip', ['netns', 'exec', ns, '/bin/busybox', 'sysctl', '-w', 'net.ipv4.conf.eth0.route_localnet=1']);
    run('ip', ['-netns', ns, 'rule', 'add', 'pref', '100', 'lookup', 'local']);
    run('ip', ['-netns', ns, 'rule', 'delete', 'pref', '0']);
    run('ip', ['-netns', ns, 'rule', 'add', 'pref', '10', 'to', '127.0.0.1', 'lookup', '100']);
    run('ip', ['-netns', ns, 'route', 'add', '127.0.0.1', 'via', GATEWAY, 'dev', 'eth0', 'table', '100', 'onlink']);
    assert.equal(await inNamespace(ns, tcpClient(GATEWAY, port)), 'host service', 'the host is reachable at the gateway');
    await assert.rejects(inNamespace(ns, tcpClient('127.0.0.1', port, 300)), /timeout|exit 3/);
  });

  it('refuses a host port in use, by a process or another container, and leaves nothing behind', async (t) => {
    const used = portOf(await listen(t, '127.0.0.1'));
    const attempts: [string[], string][] = [
      [[`127.0.0.1:${used}:80`], `port 127.0.0.1:${used} is already in use`],
      [[`${used}:80`], `port 0.0.0.0:${used} is already in use`],
    ];
    const published = await attach(t, ['127.0.0.1::80']);
    const taken = published.ports[0]!.hostPort;
    attempts.push([[`${taken}:8080`], `port 0.0.0.0:${taken} is already in use`]);
    attempts.push([[`127.0.0.1:${taken}:80`], `port 127.0.0.1:${taken} is already in use`]);
    const twice = await freePort(t);
    attempts.push([[`${twice}:80`, `127.0.0.1:${twice}:81`], `port 127.0.0.1:${twice} is already in use`]);
    for (const [ports, message] of attempts) {
      const id = containerId();
      await assert.rejects(
        attachNetwork({ containerId: id, mode: 'bridge', ports: ports.map(portRequest), hostname: id }),
        (err) => assertConflict(err, message),
      );
      assert.ok(!readLeases().some((l) => l.containerId === id), 'no lease');
      assert.ok(!publishedRuleComments().some((c) => c.startsWith(`container ${id.slice(0, 12)} `)), 'no rule');
    }
    await assertNoOrphans();
    const hostile = { hostIp: '0.0.0.0 flush ruleset', hostPort: 1, containerPort: 80, protocol: 'tcp' as const };
    await assert.rejects(attachNetwork({ containerId: containerId(), mode: 'bridge', ports: [hostile], hostname: 'x' }), {
      code: 'INVALID_ARGUMENT',
    });
    // udp and tcp are different ports.
    await attach(t, [`127.0.0.1:${taken}:53/udp`]);
  });

  it('detach removes the namespace, the veth, the rules and the lease; twice, or twice at once, is fine', async (t) => {
    const a = await attachNetwork({
      containerId: containerId(),
      mode: 'bridge',
      ports: [portRequest('127.0.0.1::80')],
      hostname: 'x',
    });
    t.after(() => detachNetwork(a));
    assert.ok(publishedRuleComments().some((c) => c.endsWith(`lease ${a.teardown!.leaseId}`)));
    await detachNetwork(a);
    await assertGone(a);
    await detachNetwork(a);
    await detachNetwork(JSON.parse(JSON.stringify(a)) as NetworkAttachment);

    const b = await attachNetwork({ containerId: containerId(), mode: 'bridge', ports: [portRequest('80')], hostname: 'x' });
    t.after(() => detachNetwork(b));
    assertLeaseGone(a);
    await Promise.all([detachNetwork(b), detachNetwork(b)]);
    await assertGone(b);
    await assertNoOrphans();
  });

  it('a namespace that a process still holds outlives its name with the veth, whose address the next attach frees', async (t) => {
    const a = await attach(t);
    const holder = spawn('ip', ['netns', 'exec', a.teardown!.netnsName, 'sleep', '600'], { stdio: 'ignore' });
    t.after(() => holder.kill('SIGKILL'));
    await eventually(() => assert.ok(holder.pid && existsSync(`/proc/${holder.pid}/ns/net`)));
    await eventually(() => assert.match(readlinkSync(`/proc/${holder.pid}/exe`), /sleep/));
    await detachNetwork(a);
    const { netnsName, hostInterface, leaseId } = a.teardown!;
    assert.ok(!netnsNames().includes(netnsName), 'the namespace has no name');
    assert.ok(linkNames().includes(hostInterface), 'the held namespace keeps the veth');
    const kept = readLeases().find((l) => l.leaseId === leaseId);
    assert.ok(kept?.released && kept.ipAddress === a.ipAddress, 'its address stays taken, by a released lease');
    // The address may go to that attach: the veth that had it is gone first.
    await attach(t);
    assert.ok(!linkNames().includes(hostInterface), 'the next attach removed the veth');
    assertLeaseGone(a);
    assert.ok(holder.exitCode === null && holder.signalCode === null, 'the holder still runs');
  });

  it('10 concurrent attaches from two processes get distinct addresses and outlive them; another process detaches', async (t) => {
    const script = `import { attachNetwork } from ${JSON.stringify(new URL('./containerNetwork.ts', import.meta.url).pathname)};
      const prefix = process.argv[1];
      const made = await Promise.all([1, 2, 3, 4, 5].map((i) =>
        attachNetwork({ containerId: prefix + '-' + i, mode: 'bridge', ports: [{ hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp' }], hostname: 'x' })));
      process.stdout.write(JSON.stringify(made));`;
    const attachIn = (prefix: string) =>
      new Promise<NetworkAttachment[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, prefix]);
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
        });
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          err += c;
        });
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
      });
    const made = (await Promise.all([attachIn(containerId()), attachIn(containerId())])).flat();
    for (const a of made) t.after(() => detachNetwork(a));
    assert.equal(made.length, 10);
    assert.equal(new Set(made.map((a) => a.ipAddress)).size, 10, 'distinct addresses');
    assert.equal(new Set(made.map((a) => a.ports[0]!.hostPort)).size, 10, 'distinct host ports');
    // The processes that attached have exited: everything is still there.
    for (const a of made) {
      assert.ok(netnsNames().includes(a.teardown!.netnsName));
      assert.ok(linkNames().includes(a.teardown!.hostInterface));
    }
    const leased = new Map(readLeases().map((l) => [l.leaseId, l.ipAddress]));
    for (const a of made) assert.equal(leased.get(a.teardown!.leaseId), a.ipAddress);
    await Promise.all(made.map((a) => detachNetwork(a)));
    for (const a of made) await assertGone(a);
  });

  it('the next attach cleans up after an attach killed half-way and after leases of an earlier boot', async (t) => {
    const dead = spawnSync('true').pid;
    const leases = readLeases();
    const leaseId = newLeaseId(leases);
    const ipAddress = '10.213.255.254';
    assert.ok(!leases.some((l) => l.ipAddress === ipAddress));
    const names = interfaceNames(leaseId);
    const id = containerId();
    t.after(() => detachNetwork(fromLease(leaseId)));
    // All of it under the lock: the lease names a dead process from the start, so an attach of
    // another test or another engine on this host would reclaim it between two steps made outside.
    await withNetworkLock(async () => {
      writeLease({ leaseId, containerId: id, bootId: currentBootId(), pid: dead, committed: false, ipAddress, ports: [] });
      await createNamespace(names.netnsName);
      await plugIntoBridge(names, ipAddress);
    });
    // And one of an earlier boot, whose namespace file /run kept (not a mount any more).
    const staleId = newLeaseId(readLeases());
    const stale = interfaceNames(staleId);
    t.after(() => detachNetwork(fromLease(staleId)));
    await withNetworkLock(async () => {
      writeLease({
        leaseId: staleId,
        containerId: id,
        bootId: 'an-earlier-boot',
        pid: process.pid,
        committed: true,
        ipAddress,
        ports: [],
      });
      writeFileSync(join('/run/netns', stale.netnsName), '');
    });
    await attach(t);
    assert.ok(!readLeases().some((l) => l.leaseId === leaseId || l.leaseId === staleId));
    assert.ok(!netnsNames().includes(names.netnsName));
    assert.ok(!existsSync(join('/run/netns', stale.netnsName)));
    assert.ok(!linkNames().includes(names.hostInterface));
  });

  it('host mode uses the host’s network and resolv.conf, and discards -p with a note; none has nothing', async () => {
    const host = await attachNetwork({
      containerId: containerId(),
      mode: 'host',
      ports: [portRequest('8080:80')],
      hostname: 'h',
    });
    assert.equal(host.netnsPath, null);
    assert.equal(host.ipAddress, null);
    assert.deepEqual(host.ports, []);
    assert.equal(host.resolvConf, existsSync('/etc/resolv.conf') ? run('cat', ['/etc/resolv.conf']) : '');
    assert.deepEqual(host.notes, ['published ports are discarded with --network host']);
    await detachNetwork(host);

    const none = await attachNetwork({ containerId: containerId(), mode: 'none', ports: [], hostname: 'n' });
    assert.deepEqual(
      { netnsPath: none.netnsPath, ipAddress: none.ipAddress, ports: none.ports, teardown: none.teardown, notes: none.notes },
      { netnsPath: null, ipAddress: null, ports: [], teardown: null, notes: [] },
    );
    assert.match(none.resolvConf, /^nameserver /);
    await detachNetwork(none);
  });
});
