import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { noNewPrivileges, planContainerOptions } from './containerOptions.js';
import { findInit } from './initProcess.js';
import { withDnsSettings } from './resolvConfOptions.js';

describe('run flags planned by the engine', () => {
  test('no-new-privileges is off unless asked (docker’s default); the last one given wins', () => {
    assert.equal(noNewPrivileges(undefined), false);
    assert.equal(noNewPrivileges(['seccomp=unconfined']), false);
    assert.equal(noNewPrivileges(['no-new-privileges']), true);
    assert.equal(noNewPrivileges(['no-new-privileges:true', 'no-new-privileges=false']), false);
    assert.throws(() => noNewPrivileges(['no-new-privileges=maybe']), /takes true or false/);
  });

  test('--add-host NAME:IP, IPv6 and host-gateway; anything else refused', () => {
    const plan = planContainerOptions({
      image: 'x',
      extraHosts: ['db:10.0.0.2', 'v6:[fe80::1]', 'six=::1', 'gw:host-gateway'],
    });
    assert.deepEqual(plan.extraHosts, [
      { name: 'db', ip: '10.0.0.2' },
      { name: 'v6', ip: 'fe80::1' },
      { name: 'six', ip: '::1' },
      { name: 'gw', ip: 'host-gateway' },
    ]);
    assert.throws(() => planContainerOptions({ image: 'x', extraHosts: ['nocolon'] }), /invalid --add-host "nocolon"/);
    assert.throws(() => planContainerOptions({ image: 'x', extraHosts: ['db:not-an-ip'] }), /is not an IP address/);
    assert.throws(() => planContainerOptions({ image: 'x', dns: ['dns.example'] }), /invalid --dns "dns.example"/);
  });

  test('--init-path needs --init; --init with neither catatonit nor tini installed is one line naming both', () => {
    assert.throws(() => planContainerOptions({ image: 'x', initPath: '/usr/bin/tini' }), /--init-path needs --init/);
    assert.throws(
      () => findInit(undefined, ['/nonexistent/catatonit', '/nonexistent/tini-static']),
      /--init needs catatonit or tini on the engine’s machine, and neither is installed/,
    );
    assert.throws(() => findInit('relative/tini'), /--init-path must be absolute/);
    assert.throws(() => findInit('/nonexistent/tini'), /--init-path \/nonexistent\/tini is not an executable file/);
  });

  test('--dns, --dns-search, --dns-option replace their own lines of resolv.conf', () => {
    const base = 'nameserver 10.0.0.1\nsearch corp.example\noptions edns0\n';
    assert.equal(
      withDnsSettings(base, { servers: ['9.9.9.9'], search: [], options: [] }),
      'search corp.example\noptions edns0\nnameserver 9.9.9.9\n',
    );
    assert.equal(
      withDnsSettings(base, { servers: [], search: ['a.example', 'b.example'], options: ['ndots:2'] }),
      'nameserver 10.0.0.1\nsearch a.example b.example\noptions ndots:2\n',
    );
    assert.equal(withDnsSettings(base, { servers: [], search: ['.'], options: [] }), 'nameserver 10.0.0.1\noptions edns0\n');
  });
});
