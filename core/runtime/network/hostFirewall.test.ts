import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { droppingForwardChains, natTableChains, parseChainListing } from './hostFirewall.js';

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `code` (an ES module body that imports `module`, a file beside this test) in netns `ns`. */
function runModuleIn(ns: string, file: string, code: (module: string) => string): string {
  const module = new URL(file, import.meta.url).pathname;
  return run('ip', [
    'netns',
    'exec',
    ns,
    process.execPath,
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    code(JSON.stringify(module)),
  ]);
}

describe('the host firewall', () => {
  it('finds other tables’ forward chains that drop by default (ufw, docker), IPv4 families only', () => {
    const chain = (family: string, table: string, name: string, hook?: string, policy?: string) => ({
      chain: { family, table, name, handle: 1, ...(hook ? { type: 'filter', hook, prio: 0, policy } : {}) },
    });
    const listing = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        chain('ip', 'filter', 'FORWARD', 'forward', 'drop'),
        chain('ip', 'filter', 'DOCKER-USER'),
        chain('inet', 'firewalld', 'filter_FORWARD', 'forward', 'drop'),
        chain('inet', 'filter', 'forward', 'forward', 'accept'),
        chain('ip6', 'filter', 'FORWARD', 'forward', 'drop'),
        chain('ip', 'filter', 'INPUT', 'input', 'drop'),
      ],
    });
    assert.deepEqual(
      droppingForwardChains(parseChainListing(listing)).map((c) => `${c.family} ${c.table} ${c.name}`),
      ['ip filter FORWARD', 'inet firewalld filter_FORWARD'],
    );
    assert.deepEqual(droppingForwardChains(parseChainListing('{"nftables": []}')), []);
  });

  it('tells from a chain listing whether Stevedore’s own table is there', () => {
    const listing = (family: string, table: string) =>
      JSON.stringify({
        nftables: [{ metainfo: { version: '1.0.6' } }, { chain: { family, table, name: 'published', handle: 3 } }],
      });
    assert.deepEqual(natTableChains(parseChainListing(listing('ip', 'stevedore'))), ['published']);
    assert.deepEqual(natTableChains(parseChainListing(listing('inet', 'stevedore'))), []);
    assert.deepEqual(natTableChains(parseChainListing(listing('ip', 'filter'))), []);
    assert.deepEqual(natTableChains(parseChainListing('{"nftables": []}')), []);
    assert.deepEqual(natTableChains(parseChainListing('not json')), []);
  });

  it('creates the table once, from a listing without it, and a listing then shows it (real nft)', (t) => {
    const ns = `nettest-nat-${randomBytes(3).toString('hex')}`;
    run('ip', ['netns', 'add', ns]);
    t.after(() => spawnSync('ip', ['netns', 'delete', ns]));
    const dir = new URL('.', import.meta.url).pathname;
    const script = [
      `import { listChains, natTableChains } from ${JSON.stringify(`${dir}hostFirewall.ts`)};`,
      `import { ensureNatTable } from ${JSON.stringify(`${dir}natTable.ts`)};`,
      'const seen = async () => natTableChains((await listChains()) ?? []);',
      'const before = await seen();',
      'await ensureNatTable(before);',
      'await ensureNatTable([]);',
      "process.stdout.write(String(before.length > 0) + ' ' + String((await seen()).length > 0));",
    ].join('\n');
    assert.equal(
      run('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script]),
      'false true',
    );
    // The second ensure found the table and added nothing: each masquerade rule is there once.
    const rules = run('ip', ['netns', 'exec', ns, 'nft', 'list', 'chain', 'ip', 'stevedore', 'postrouting']);
    assert.equal(rules.match(/masquerade/g)?.length, 3);
  });

  it('upgrades a table an earlier version made: a forward filter, no DNAT of 127.0.0.0/8 from outside, published ports kept', (t) => {
    const ns = `nettest-up-${randomBytes(3).toString('hex')}`;
    run('ip', ['netns', 'add', ns]);
    t.after(() => spawnSync('ip', ['netns', 'delete', ns]));
    const nft = (...args: string[]) => run('ip', ['netns', 'exec', ns, 'nft', ...args]);
    // The table as Stevedore made it before the forward chain, with one published port.
    const old = [
      'table ip stevedore {',
      '  chain prerouting { type nat hook prerouting priority dstnat; policy accept; fib daddr type local jump published; }',
      '  chain published { }',
      '}',
      'add rule ip stevedore published tcp dport 8080 dnat to 10.213.0.9:80 comment "container x lease 1"',
    ].join('\n');
    spawnSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: old });
    const ensure = () =>
      runModuleIn(
        ns,
        './natTable.ts',
        (m) =>
          `import { ensureNatTable } from ${m}; await ensureNatTable(['prerouting', 'published']); await ensureNatTable([]);`,
      );
    ensure();
    const table = nft('list', 'table', 'ip', 'stevedore');
    assert.match(table, /fib daddr type local ip daddr != 127\.0\.0\.0\/8 jump published/);
    assert.equal(table.match(/jump published/g)?.length, 1);
    assert.match(table, /oifname "stevedore0" ct status dnat accept/);
    assert.match(table, /oifname "stevedore0" drop/);
    assert.equal(table.match(/chain forward/g)?.length, 1);
    assert.match(table, /dnat to 10\.213\.0\.9:80/);
  });

  it('notes a real forward chain with policy drop, until its table lets stevedore0 through', (t) => {
    // In a namespace of its own: nftables rules are per network namespace, the host's stay untouched.
    const ns = `nettest-fw-${randomBytes(3).toString('hex')}`;
    run('ip', ['netns', 'add', ns]);
    t.after(() => spawnSync('ip', ['netns', 'delete', ns]));
    const nft = (script: string) => run('ip', ['netns', 'exec', ns, 'nft', script]);
    nft('add table ip hardened; add chain ip hardened incoming { type filter hook forward priority 0; policy drop; }');
    const note = () =>
      runModuleIn(
        ns,
        './hostFirewall.ts',
        (m) => `import { forwardingBlockedNote } from ${m}; process.stdout.write(String(await forwardingBlockedNote()));`,
      );
    assert.equal(
      note(),
      "the host's firewall drops forwarded traffic (chain incoming of table ip hardened has policy drop), so the container cannot reach other networks nor be reached from other hosts until it lets stevedore0 through",
    );
    nft('add rule ip hardened incoming iifname "stevedore0" accept; add rule ip hardened incoming oifname "stevedore0" accept');
    assert.equal(note(), 'undefined');
  });
});
