import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { busyboxLayer } from '../../../testkit/layers.js';
import { writeLayout } from '../../../testkit/ociLayout.js';
import { tempDir } from '../../../testkit/tempDir.js';
import { containerPaths } from '../containerRecord.js';
import { readLeases } from './leaseStore.js';

// `network connect` on a running container whose record cannot be written: the address it was
// given and the interface plugged for it go back, or the lease holds the address until a reboot.
// Real runc, bridges and nftables, as root; the record is made immutable (chattr +i).

let root = '';
let recordFile = '';
after(() => {
  if (recordFile) execFileSync('chattr', ['-i', recordFile]);
  if (!root) return;
  stevedore(root, ['rm', '-f', 'held']);
  stevedore(root, ['network', 'rm', 's9-connect']);
});
const work = tempDir('stevedore-network-connect-');
root = join(work, 'store');

function ok(args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

before(async () => {
  writeLayout(join(work, 'layout'), [
    { refName: 'net:latest', layers: [await busyboxLayer(['sh', 'sleep', 'ip'])], config: { Cmd: ['sh'], Env: ['PATH=/bin'] } },
  ]);
  ok(['load', '-i', join(work, 'layout')]);
});

test('a connect whose record write fails gives its address back', () => {
  ok(['network', 'create', 's9-connect']);
  const [network] = JSON.parse(ok(['network', 'inspect', '--json', 's9-connect'])) as [{ id: string; gateway: string }];
  const containerId = ok(['run', '-d', '--name', 'held', 'net:latest', 'sleep', '1000']);
  const onNetwork = () => readLeases().filter((l) => l.containerId === containerId && l.network?.id === network.id);

  recordFile = containerPaths(root, containerId).record;
  execFileSync('chattr', ['+i', recordFile]);
  const failed = stevedore(root, ['network', 'connect', 's9-connect', 'held']);
  execFileSync('chattr', ['-i', recordFile]);
  recordFile = '';
  assert.notEqual(failed.code, 0, 'the connect failed');
  assert.equal(failed.stderr.trim().split('\n').length, 1, `one line: ${failed.stderr}`);
  assert.deepEqual(onNetwork(), [], 'no lease is left on the network');
  assert.doesNotMatch(ok(['exec', 'held', 'ip', '-o', '-4', 'addr', 'show']), /eth1/, 'no interface is left plugged');

  // The address is free again: the next connect is given the network's first one.
  ok(['network', 'connect', 's9-connect', 'held']);
  const first = network.gateway.replace(/\.\d+$/, (last) => `.${Number(last.slice(1)) + 1}`);
  assert.deepEqual(
    onNetwork().map((l) => l.ipAddress),
    [first],
  );
});
