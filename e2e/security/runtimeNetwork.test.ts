import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { eventually } from '../support/eventually.js';

// Issue 12, item 11: a neighbour that routes the container subnet through this host must reach
// only what is published on an address of the host, never an unpublished container port nor one
// published on 127.0.0.1. The neighbour is a network namespace of this test's own, joined to the
// host by a veth pair with addresses in 198.18.0.0/15 (RFC 2544, for tests): nothing leaves the
// machine, and everything made here is removed at the end.
let containerId = '';
let neighbourServer: ChildProcess | undefined;
let containerAddress = '';
const ports = { wild: 0, loopback: 0 };

// Registered before tempDir's own hook, so that the container and the neighbour are gone before the store is.
after(async () => {
  neighbourServer?.kill('SIGKILL');
  if (containerId) stevedore(root, ['rm', '-f', containerId]);
  spawnSync('ip', ['netns', 'del', neighbour]);
  spawnSync('ip', ['link', 'del', hostEnd]);
  // conmon's exit command still works on the store for a moment: let it finish before the store goes.
  if (containerId) {
    await eventually(() => {
      const about = readdirSync('/proc').filter((pid) => {
        try {
          return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(containerId);
        } catch {
          return false;
        }
      });
      assert.deepEqual(about, []);
      assert.equal(readFileSync('/proc/self/mounts', 'utf8').includes(work), false, 'the container’s rootfs is still mounted');
    }, 30_000);
  }
});

const work = tempDir();
const root = join(work, 'store');
const tag = randomBytes(3).toString('hex');
const neighbour = `sdtest-nb-${tag}`;
const hostEnd = `sdnbh${tag}`;
const neighbourEnd = `sdnbn${tag}`;
const octet = randomInt(0, 256);
const hostAddress = `198.18.${octet}.1`;
const neighbourAddress = `198.18.${octet}.2`;

function sh(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function inNeighbour(args: string[]): string {
  return sh('ip', ['netns', 'exec', neighbour, ...args]);
}

/** An HTTP GET from the neighbour: the body, or null when nothing answered in a few seconds. */
function fetchFromNeighbour(url: string): string | null {
  const r = spawnSync('ip', ['netns', 'exec', neighbour, 'curl', '-sf', '-m', '3', url], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

before(async () => {
  writeLayout(join(work, 'layout'), [
    {
      refName: 'web',
      layers: [
        await busyboxLayer(['sh', 'httpd', 'sleep', 'echo', 'printf', 'nc']),
        await makeLayer([
          { path: 'www/', type: 'directory' },
          { path: 'www/index.html', content: 'served\n' },
        ]),
      ],
    },
  ]);
  const loaded = stevedore(root, ['load', '-i', join(work, 'layout'), '--name', 'net']);
  assert.equal(loaded.code, 0, loaded.stderr);

  // The neighbour: its own namespace, a veth into the host, and a route to the containers via the host.
  sh('ip', ['netns', 'add', neighbour]);
  sh('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', neighbourEnd, 'netns', neighbour]);
  sh('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostEnd]);
  sh('ip', ['link', 'set', hostEnd, 'up']);
  inNeighbour(['ip', 'addr', 'add', `${neighbourAddress}/30`, 'dev', neighbourEnd]);
  inNeighbour(['ip', 'link', 'set', neighbourEnd, 'up']);
  inNeighbour(['ip', 'link', 'set', 'lo', 'up']);
  inNeighbour(['ip', 'route', 'add', '10.213.0.0/16', 'via', hostAddress]);
  // The neighbour also sends packets for 127.0.0.1 to the host, as a hostile machine on the LAN
  // can (CVE-2020-8558): its own loopback route moved behind one to the host.
  inNeighbour(['sysctl', '-qw', `net.ipv4.conf.${neighbourEnd}.route_localnet=1`]);
  inNeighbour(['ip', 'rule', 'add', 'pref', '100', 'lookup', 'local']);
  inNeighbour(['ip', 'rule', 'del', 'pref', '0']);
  inNeighbour(['ip', 'rule', 'add', 'pref', '10', 'to', '127.0.0.1/32', 'lookup', '100']);
  inNeighbour(['ip', 'route', 'add', '127.0.0.1/32', 'via', hostAddress, 'dev', neighbourEnd, 'table', '100']);

  const run = stevedore(root, [
    'run',
    '-d',
    '-p',
    '0.0.0.0::8080',
    '-p',
    '127.0.0.1::8081',
    'net:web',
    'sh',
    '-c',
    'httpd -p 8080 -h /www && httpd -p 8081 -h /www && httpd -p 8082 -h /www && echo up && sleep 600',
  ]);
  assert.equal(run.code, 0, run.stderr);
  containerId = run.stdout.trim();
  await eventually(() => assert.match(stevedore(root, ['logs', containerId]).stdout, /up/), 20_000);
  const [summary] = JSON.parse(stevedore(root, ['ps', '--json']).stdout) as {
    ipAddress: string;
    ports: { hostIp: string; hostPort: number; containerPort: number }[];
  }[];
  assert.ok(summary);
  containerAddress = summary.ipAddress;
  ports.wild = summary.ports.find((p) => p.containerPort === 8080)?.hostPort ?? 0;
  ports.loopback = summary.ports.find((p) => p.containerPort === 8081)?.hostPort ?? 0;
});

describe('item 11: the LAN reaches only what is published on the host', () => {
  it('reaches a port published on 0.0.0.0 through the host’s address', () => {
    assert.equal(fetchFromNeighbour(`http://${hostAddress}:${ports.wild}/`), 'served\n');
  });

  it('does not reach an unpublished container port, nor a published one, by the container’s own address', () => {
    assert.equal(fetchFromNeighbour(`http://${containerAddress}:8082/`), null);
    assert.equal(fetchFromNeighbour(`http://${containerAddress}:8081/`), null);
    assert.equal(fetchFromNeighbour(`http://${containerAddress}:8080/`), null);
  });

  it('does not reach a port published on 127.0.0.1, neither by the host’s address nor by 127.0.0.1 sent to the host', () => {
    assert.equal(fetchFromNeighbour(`http://${hostAddress}:${ports.loopback}/`), null);
    assert.equal(fetchFromNeighbour(`http://127.0.0.1:${ports.loopback}/`), null);
  });

  it('still lets the host reach its 127.0.0.1 port, and the container reach the neighbour', async () => {
    const local = spawnSync('curl', ['-sf', '-m', '5', `http://127.0.0.1:${ports.loopback}/`], { encoding: 'utf8' });
    assert.equal(local.stdout, 'served\n', local.stderr);
    // A server in the neighbour, reached from inside the container (its outbound traffic and the replies).
    const server = `require('node:http').createServer((q, s) => s.end('neighbour\\n')).listen(8090, '${neighbourAddress}')`;
    neighbourServer = spawn('ip', ['netns', 'exec', neighbour, process.execPath, '-e', server], { stdio: 'ignore' });
    await eventually(() => assert.equal(fetchFromNeighbour(`http://${neighbourAddress}:8090/`), 'neighbour\n'));
    // nc rather than wget: busybox's static wget crashes (SIGSEGV) in glibc's resolver code here.
    const out = stevedore(root, [
      'run',
      '--rm',
      'net:web',
      'sh',
      '-c',
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${neighbourAddress} 8090`,
    ]);
    assert.match(out.stdout, /\r\n\r\nneighbour\n$/, `exit ${out.code}: ${out.stderr}`);
  });
});
