import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvConfForOwnNetwork } from './resolvConf.js';

describe('resolv.conf for a container with its own network', () => {
  it('keeps the host’s nameservers with its search and options lines', () => {
    const host = '# generated\nsearch corp.example lan\nnameserver 192.0.2.53\nnameserver 198.51.100.53\noptions ndots:2 edns0\n';
    assert.equal(
      resolvConfForOwnNetwork(host),
      'nameserver 192.0.2.53\nnameserver 198.51.100.53\nsearch corp.example lan\noptions ndots:2 edns0\n',
    );
  });

  it('falls back to 8.8.8.8 and 8.8.4.4 when the host names only loopback servers, as docker does', () => {
    assert.equal(
      resolvConfForOwnNetwork('nameserver 127.0.0.1\nsearch lan\n'),
      'nameserver 8.8.8.8\nnameserver 8.8.4.4\nsearch lan\n',
    );
    assert.equal(resolvConfForOwnNetwork(''), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  });

  it('drops loopback and IPv6 servers (the bridge is IPv4 only) but keeps the others', () => {
    const host = 'nameserver 127.0.0.11\nnameserver ::1\nnameserver 2001:db8::53\nnameserver fe80::1%eth0\nnameserver 10.1.2.3\n';
    assert.equal(resolvConfForOwnNetwork(host), 'nameserver 10.1.2.3\n');
  });

  it('reads systemd-resolved’s upstream list when the host points only at its 127.0.0.53 stub', () => {
    const stub = 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n';
    const upstream = 'nameserver 192.0.2.1\nnameserver 192.0.2.2\nsearch lan\n';
    assert.equal(resolvConfForOwnNetwork(stub, upstream), 'nameserver 192.0.2.1\nnameserver 192.0.2.2\nsearch lan\n');
    // Without the upstream list, the stub is loopback: docker's fallback.
    assert.equal(resolvConfForOwnNetwork(stub), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0 trust-ad\nsearch lan\n');
    // A host that names real servers is used as it is even where systemd-resolved runs.
    assert.equal(resolvConfForOwnNetwork('nameserver 10.0.0.2\n', upstream), 'nameserver 10.0.0.2\n');
  });
});
