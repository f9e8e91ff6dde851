import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepCommandShells } from '../../system/commandShell.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';

describe('network tools', () => {
  it('run the same through a command shell as on their own: input, output, and failure', async () => {
    const alone = await tryNetworkTool('ip', ['-batch', '-'], 'link show lo\n');
    keepCommandShells();
    const shelled = await tryNetworkTool('ip', ['-batch', '-'], 'link show lo\n');
    assert.equal(shelled.ok, true);
    assert.match(shelled.stdout, /^1: lo: <LOOPBACK/);
    assert.deepEqual(shelled, alone);
    const json = JSON.parse(await runNetworkTool('ip', ['-json', 'link', 'show', 'lo'], 'listing lo')) as { ifname: string }[];
    assert.equal(json[0]?.ifname, 'lo');
    const missing = await tryNetworkTool('ip', ['link', 'show', 'no-such-device-here']);
    assert.equal(missing.ok, false);
    assert.match(missing.stderr, /no-such-device-here/);
    await assert.rejects(
      runNetworkTool('ip', ['link', 'show', 'no-such-device-here'], 'listing it'),
      /^StevedoreError: listing it failed: .*no-such-device-here/,
    );
  });
});
