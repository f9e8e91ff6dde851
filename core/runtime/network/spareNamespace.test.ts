import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { eventually } from '../../../testkit/eventually.js';
import { parsePortSpec } from '../../api/portSpec.js';
import { acceptedOrThrow } from '../../errors.js';
import { GATEWAY } from './bridgeSubnet.js';
import { attachNetwork, detachNetwork, type NetworkAttachment, refillSpareNamespace } from './containerNetwork.js';
import { readLeases } from './leaseStore.js';
import { dropSpareNamespace, keepSpareNamespace, SpareSlot, spareNamespace } from './spareNamespace.js';

/** A make whose end the test decides. */
function pending<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('SpareSlot', () => {
  it('makes nothing until kept, then one spare at a time, taken once', async () => {
    const slot = new SpareSlot<string>();
    const discarded: string[] = [];
    const discard = async (s: string) => void discarded.push(s);
    let makes = 0;
    slot.refill(async () => `never ${++makes}`, discard);
    await slot.made();
    assert.equal(makes, 0);
    assert.equal(slot.take(), undefined);

    slot.keep();
    const first = pending<string>();
    slot.refill(() => (++makes, first.promise), discard);
    slot.refill(async () => `second ${++makes}`, discard);
    assert.equal(makes, 1, 'a second refill while one is being made makes nothing');
    assert.equal(slot.take(), undefined, 'nothing to take before it is made');
    first.resolve('one');
    await slot.made();
    slot.refill(async () => `again ${++makes}`, discard);
    assert.equal(makes, 1, 'nothing is made while a spare is kept');
    assert.equal(slot.take(), 'one');
    assert.equal(slot.take(), undefined);
    assert.deepEqual(discarded, []);
  });

  it('takes a failed make as no spare, and makes again at the next refill', async () => {
    const slot = new SpareSlot<string>();
    slot.keep();
    slot.refill(
      async () => {
        throw new Error('ip failed');
      },
      async () => undefined,
    );
    await slot.made();
    assert.equal(slot.take(), undefined);
    slot.refill(
      async () => 'made',
      async () => undefined,
    );
    await slot.made();
    assert.equal(slot.take(), 'made');
  });

  it('drop waits for the spare being made and discards it, and makes no more', async () => {
    const slot = new SpareSlot<string>();
    const discarded: string[] = [];
    const discard = async (s: string) => void discarded.push(s);
    slot.keep();
    const making = pending<string>();
    slot.refill(() => making.promise, discard);
    const dropped = slot.drop();
    making.resolve('late');
    await dropped;
    assert.deepEqual(discarded, ['late']);
    assert.equal(slot.take(), undefined);
    let makes = 0;
    slot.refill(async () => `after ${++makes}`, discard);
    await slot.made();
    assert.equal(makes, 0);
  });
});

// Real kernel parts, as root: the namespace made ahead is a container's like any other.
const RUN = `sp${randomBytes(3).toString('hex')}`;
let serial = 0;
const containerId = () => `${RUN}${String(++serial).padStart(3, '0')}-spare`;
const ip = (args: string[]) => {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const linkExists = (name: string) => existsSync(`/sys/class/net/${name}`);
const ownSpare = () => readLeases().find((l) => l.pid === process.pid && !l.committed && l.containerId === '');

describe('the spare namespace of an engine that lives on (real namespaces and veth pairs)', {
  skip: process.getuid?.() !== 0 && 'bridge networking needs root',
}, () => {
  const attached: NetworkAttachment[] = [];
  const attach = async (ports: string[] = []) => {
    const a = await attachNetwork({
      containerId: containerId(),
      mode: 'bridge',
      ports: ports.map((p) => acceptedOrThrow(parsePortSpec(p))),
      hostname: 'spare',
    });
    attached.push(a);
    return a;
  };
  after(async () => {
    await dropSpareNamespace();
    for (const a of attached) await detachNetwork(a);
  });

  it('gives the next container a namespace made ahead, set up as one made for it, and drops it at the end', async () => {
    keepSpareNamespace();
    await attach();
    refillSpareNamespace();
    await spareNamespace.made();
    const spare = ownSpare();
    assert.ok(spare, 'a spare lease of this process');

    const taken = await attach();
    assert.equal(taken.teardown?.leaseId, spare.leaseId, 'the container took the spare');
    const lease = readLeases().find((l) => l.leaseId === spare.leaseId);
    assert.equal(lease?.committed, true);
    assert.equal(lease?.containerId.startsWith(RUN), true);
    const ns = taken.teardown!.netnsName;
    const eth0 = (
      JSON.parse(ip(['-netns', ns, '-json', 'addr', 'show', 'eth0'])) as {
        flags: string[];
        address: string;
        addr_info: { family: string; local: string }[];
      }[]
    )[0];
    assert.ok(eth0?.flags.includes('UP'));
    assert.equal(eth0?.address, taken.macAddress);
    assert.deepEqual(
      eth0?.addr_info.filter((a) => a.family === 'inet').map((a) => a.local),
      [taken.ipAddress],
    );
    const routes = JSON.parse(ip(['-netns', ns, '-json', 'route', 'show', 'default'])) as { gateway: string }[];
    assert.deepEqual(
      routes.map((r) => r.gateway),
      [GATEWAY],
    );
    assert.match(readlinkSync(`/sys/class/net/${taken.teardown!.hostInterface}/master`), /\/stevedore0$/);

    // The next one, made beside the running container; then dropped with everything it made.
    refillSpareNamespace();
    await spareNamespace.made();
    const next = ownSpare();
    assert.ok(next);
    assert.notEqual(next.ipAddress, taken.ipAddress);
    await dropSpareNamespace();
    assert.equal(ownSpare(), undefined, 'its lease is gone');
    assert.ok(!existsSync(`/run/netns/stevedore-${next.leaseId}`), 'its namespace is gone');
    assert.ok(!linkExists(`sd${next.leaseId}`), 'its veth is gone');
  });

  it('makes its own namespace for published ports, and for a spare whose veth left the bridge', async () => {
    keepSpareNamespace();
    refillSpareNamespace();
    await spareNamespace.made();
    const spare = ownSpare();
    assert.ok(spare);
    const published = await attach(['127.0.0.1::80']);
    assert.notEqual(published.teardown?.leaseId, spare.leaseId, 'published ports: not the spare');

    ip(['link', 'set', `sd${spare.leaseId}`, 'nomaster']);
    const other = await attach();
    assert.notEqual(other.teardown?.leaseId, spare.leaseId, 'a spare off the bridge is not given');
    await eventually(() => {
      assert.equal(
        readLeases().find((l) => l.leaseId === spare.leaseId),
        undefined,
        'its lease goes',
      );
      assert.ok(!linkExists(`sd${spare.leaseId}`), 'its veth goes');
    }, 5000);
    await dropSpareNamespace();
  });
});
