import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeIndex, writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { BINFMT_MISC, qemuName } from '../oci/hostEmulation.js';

const work = tempDir();
const root = join(work, 'store');
const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** Whether this kernel runs `architecture`'s binaries through qemu-user (then the refusal below cannot be seen). */
function binfmtRuns(architecture: string): boolean {
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  return (
    read(join(BINFMT_MISC, 'status')).startsWith('enabled') &&
    read(join(BINFMT_MISC, `qemu-${qemuName(architecture)}`)).startsWith('enabled')
  );
}

describe('run --platform and create --platform pick that platform’s manifest of a multi-platform image', () => {
  before(async () => {
    const dir = join(work, 'layout');
    const busybox = await busyboxLayer(['sh', 'cat', 'true']);
    // Each manifest says which it is in /platform. 386 runs on an amd64 host without emulation
    // (the busybox in both is the host's own: the kernel runs what it is given).
    const image = async (architecture: string) => ({
      architecture,
      layers: [busybox, await makeLayer([{ path: 'platform', content: architecture }])],
      config: { Cmd: ['cat', '/platform'] },
    });
    const [amd64, i386] = writeLayout(dir, [await image('amd64'), await image('386')]);
    writeIndex(dir, 'localhost/multi:latest', [
      { image: amd64!, platform: { os: 'linux', architecture: 'amd64' } },
      { image: i386!, platform: { os: 'linux', architecture: '386' } },
    ]);
    const [host, riscv] = writeLayout(dir, [await image('amd64'), await image('riscv64')]);
    writeIndex(dir, 'localhost/foreign:latest', [
      { image: host!, platform: { os: 'linux', architecture: 'amd64' } },
      { image: riscv!, platform: { os: 'linux', architecture: 'riscv64' } },
    ]);
    ok(['load', '-i', dir]);
  });

  after(() => {
    stevedore(root, ['rm', '-f', 'made-386']);
  });

  it('runs the manifest of the platform asked for, the host’s without it', () => {
    assert.equal(ok(['run', '--rm', 'localhost/multi']), 'amd64');
    assert.equal(ok(['run', '--rm', '--platform', 'linux/386', 'localhost/multi']), '386');
    assert.equal(ok(['run', '--rm', '--platform', 'linux/amd64', 'localhost/multi']), 'amd64');
  });

  it('create --platform keeps the platform’s image for start', () => {
    ok(['create', '--name', 'made-386', '--platform', 'linux/386', 'localhost/multi']);
    assert.equal(ok(['start', '-a', 'made-386']), '386');
    ok(['rm', 'made-386']);
  });

  it('refuses in docker’s words, exit 125, a platform the image does not have', () => {
    const r = stevedore(root, ['run', '--rm', '--pull', 'never', '--platform', 'linux/arm64', 'localhost/multi']);
    assert.equal(r.code, 125);
    assert.equal(
      r.stderr,
      'error: image with reference localhost/multi was found but does not match the specified platform: wanted linux/arm64/v8, actual: linux/amd64\n',
    );
    const bad = stevedore(root, ['run', '--rm', '--platform', 'arm64', 'localhost/multi']);
    assert.equal(bad.code, 125);
    assert.equal(bad.stderr, 'error: invalid platform "arm64": expected os/arch or os/arch/variant\n');
  });

  it('refuses in one line, exit 125, a platform this host cannot run', (t) => {
    if (binfmtRuns('riscv64')) return t.skip('qemu-user runs riscv64 binaries here');
    const r = stevedore(root, ['run', '--rm', '--platform', 'linux/riscv64', 'localhost/foreign']);
    assert.equal(r.code, 125);
    assert.match(
      r.stderr,
      /^error: the image localhost\/foreign for linux\/riscv64 cannot run on this host \(linux\/amd64\): it needs qemu-user registered with binfmt_misc, and \/proc\/sys\/fs\/binfmt_misc\/qemu-riscv64 is not there \(install qemu-user-static or qemu-user-binfmt\)\n$/,
    );
    assert.equal(ok(['ps', '-a', '-q']), '', 'no container is left');
  });
});
