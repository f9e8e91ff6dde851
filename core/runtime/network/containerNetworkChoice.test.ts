import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ContainerRecord, containerRecord } from '../containerRecord.js';
import { joinedNetworks, membersOf, networkEntries, networkName } from './containerNetworkChoice.js';

const FRONT = 'f'.repeat(64);
const BACK = 'b'.repeat(64);

/** A record as container.json holds it; `config` and `network` over a plain running container on the default bridge. */
function record(config: Record<string, unknown>, network: Record<string, unknown> | null = null): ContainerRecord {
  return containerRecord.parse({
    id: 'a'.repeat(64),
    name: 'web',
    image: 'box:v1',
    imageId: 'sha256:x',
    created: '2026-01-01T00:00:00.000Z',
    config: {
      args: ['sh'],
      env: [],
      workingDir: '/',
      user: '',
      hostname: 'aaaaaaaaaaaa',
      tty: false,
      interactive: false,
      ports: [],
      volumes: [],
      network: 'bridge',
      stopSignal: 'SIGTERM',
      autoRemove: false,
      ...config,
    },
    state: {
      status: 'running',
      supervisor: 'conmon',
      supervisorPid: 1,
      pid: 2,
      pidStartTicks: 3,
      startedAt: '2026-01-01T00:00:01.000Z',
      finishedAt: null,
      exitCode: null,
      error: null,
    },
    network,
  });
}

const attachment = {
  mode: 'bridge',
  netnsPath: '/run/netns/stevedore-000000000001',
  ipAddress: '10.214.0.2',
  prefixLength: 24,
  gateway: '10.214.0.1',
  macAddress: '02:42:0a:d6:00:02',
  networkId: FRONT,
  ports: [],
  resolvConf: '',
  notes: [],
  teardown: { leaseId: '000000000001', netnsName: 'stevedore-000000000001', hostInterface: 'sd000000000001' },
  extra: [
    {
      networkId: BACK,
      ifname: 'eth1',
      leaseId: '000000000002',
      ipAddress: '10.214.1.2',
      prefixLength: 24,
      gateway: '10.214.1.1',
      macAddress: '02:42:0a:d6:01:02',
    },
  ],
};

test('records made before several networks keep theirs: the one user network, else the default bridge; host and none have none', () => {
  const old = record({ userNetwork: { id: FRONT, name: 'front', aliases: ['www'] } });
  assert.deepEqual(joinedNetworks(old.config), [{ id: FRONT, name: 'front', aliases: ['www'] }]);
  assert.deepEqual(joinedNetworks(record({}).config), [{ id: null, name: 'bridge', aliases: [] }]);
  assert.deepEqual(joinedNetworks(record({ network: 'host' }).config), []);
  assert.equal(networkName(record({ network: 'none' })), 'none');
  assert.equal(networkName(old), 'front');
});

test('a running container on two networks: inspect lists each with its own interface, network inspect finds it on each', () => {
  const both = record(
    {
      networks: [
        { id: FRONT, name: 'front', aliases: [] },
        { id: BACK, name: 'back', aliases: ['db'] },
      ],
    },
    attachment,
  );
  assert.deepEqual(
    networkEntries(both).map((n) => [n.name, n.ipAddress, n.prefixLength, n.aliases]),
    [
      ['front', '10.214.0.2', 24, []],
      ['back', '10.214.1.2', 24, ['db']],
    ],
  );
  assert.deepEqual(
    membersOf([both], BACK).map((m) => [m.name, m.ipAddress, m.aliases]),
    [['web', '10.214.1.2', ['db']]],
  );
  assert.deepEqual(membersOf([both], 'bridge'), []);
  // Its first interface disconnected while it ran: front lists it without an address.
  const firstGone = record(
    { networks: [{ id: BACK, name: 'back', aliases: [] }] },
    { ...attachment, ipAddress: null, prefixLength: null, gateway: null, macAddress: null, networkId: null },
  );
  assert.deepEqual(
    networkEntries(firstGone).map((n) => [n.name, n.ipAddress]),
    [['back', '10.214.1.2']],
  );
  // Stopped: no addresses.
  const stopped = { ...both, state: { ...both.state, status: 'exited' as const } };
  assert.deepEqual(
    networkEntries(stopped).map((n) => n.ipAddress),
    [null, null],
  );
});
