import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { busyboxLayer } from '../../testkit/layers.js';
import { tempDir } from '../../testkit/tempDir.js';

// `diff` of a container whose image has no /etc: the engine makes /etc to mount hosts, hostname
// and resolv.conf on, as docker's init layer does, and docker's `diff` shows none of it.
describe('diff of a container whose image has no /etc', () => {
  const root = tempDir();
  const work = tempDir();
  const ok = (args: string[]) => {
    const r = stevedore(root, args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    await loadBoxImage(root, work, [{ refName: 'noetc', layers: [await busyboxLayer(['sh', 'echo'])], config: { Cmd: ['sh'] } }]);
    assert.equal(
      stevedore(root, ['run', '--rm', 'box:noetc', 'sh', '-c', 'test -e /etc/hosts || echo none']).stdout,
      '',
      'the engine still makes /etc/hosts',
    );
  });
  after(() => {
    for (const name of ['only-made', 'own-etc']) stevedore(root, ['rm', '-f', name]);
  });

  it('shows only what the container changed', () => {
    ok(['run', '--name', 'only-made', 'box:noetc', 'sh', '-c', 'echo x > /made']);
    assert.equal(ok(['diff', 'only-made']), 'A /made\n');
  });

  it('shows /etc as changed once the container puts its own file there', () => {
    ok(['run', '--name', 'own-etc', 'box:noetc', 'sh', '-c', 'echo x > /etc/own']);
    assert.equal(ok(['diff', 'own-etc']), 'C /etc\nA /etc/own\n');
  });
});
