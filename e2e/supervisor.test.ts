// What keeps containers going without a docker-like daemon (issue 17): health checks run beside
// each container, restart policies carried out again when a long-lived face starts the engine,
// `-it` sessions that start clean, and `rmi -f` of an image a stopped container still uses.
// Real runc and conmon, as root; the built CLI (`npm run build` first).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { eventually } from '../testkit/eventually.js';
import { busyboxLayer } from '../testkit/layers.js';
import { tempDir } from '../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');

const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

interface Ps {
  id: string;
  name: string;
  state: string;
  image: string;
}
const ps = (): Ps[] => JSON.parse(ok(['ps', '-a', '--json'])) as Ps[];
const byName = (name: string) => ps().find((c) => c.name === name);

/**
 * The CLI on a real pseudo-terminal (util-linux `script`), its own stdin ended as a test runner's
 * or a CI job's is: `script` then writes the terminal's EOF character, as a ^D typed ahead would.
 */
function onTerminal(args: string[]): string {
  const line = [process.execPath, cliPath, '--root', root, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe('supervisor: -it sessions, rmi -f, restart at engine start, health', () => {
  before(async () => {
    await loadBoxImage(root, work, [
      // An image of its own (one name only): true, and a health check the tests switch on and off.
      { refName: 'solo', layers: [await busyboxLayer(['sh', 'true', 'sleep'])], config: { Cmd: ['sleep', '600'] } },
    ]);
  });

  after(() => {
    for (const c of ps()) stevedore(root, ['rm', '-f', c.id]);
  });

  it('starts run -it and exec -it clean: the command’s output and nothing before it', () => {
    assert.equal(onTerminal(['run', '-it', '--rm', 'box:v1', 'echo', 'hi']), 'hi\r\n');
    ok(['run', '-d', '--name', 'shell', 'box:v1', 'sleep', '600']);
    assert.equal(onTerminal(['exec', '-it', 'shell', 'echo', 'hi']), 'hi\r\n');
    ok(['rm', '-f', 'shell']);
  });

  it('rmi -f of an image a stopped container uses: the name goes, the container stays and starts again', () => {
    // Ends at once; started again, it stays up (it finds the file its first run left).
    ok(['run', '--name', 'leftover', 'box:solo', 'sh', '-c', '[ -e /ran ] && exec sleep 600; : > /ran']);
    const refused = stevedore(root, ['rmi', 'box:solo']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /used by container leftover/);
    const removed = stevedore(root, ['rmi', '-f', 'box:solo']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, 'Untagged: docker.io/library/box:solo\n');
    assert.doesNotMatch(ok(['images']), /solo/);
    // The container stays, and its files are still there: it starts again.
    assert.equal(byName('leftover')?.state, 'exited');
    ok(['start', 'leftover']);
    assert.equal(byName('leftover')?.state, 'running');
    ok(['rm', '-f', 'leftover']);
    // A running one keeps the name: docker cannot force that either.
    ok(['tag', 'box:v1', 'only:v1']);
    ok(['run', '-d', '--name', 'busy', 'only:v1', 'sleep', '600']);
    ok(['rmi', 'box:v1']);
    const running = stevedore(root, ['rmi', '-f', 'only:v1']);
    assert.equal(running.code, 1);
    assert.match(running.stderr, /used by running container busy/);
    ok(['rm', '-f', 'busy']);
    ok(['tag', 'only:v1', 'box:v1']);
    ok(['rmi', 'only:v1']);
  });
  it('starts again, when the daemon starts, what its policy wants up: always and unless-stopped, not one the user stopped', async () => {
    ok(['run', '-d', '--name', 'keep', '--restart', 'always', 'box:v1', 'sleep', '600']);
    ok(['run', '-d', '--name', 'lost', '--restart', 'unless-stopped', 'box:v1', 'sleep', '600']);
    ok(['run', '-d', '--name', 'held', '--restart', 'unless-stopped', 'box:v1', 'sleep', '600']);
    ok(['stop', '-t', '0', 'held']);
    // As a reboot would: conmon and the process gone, no exit file, no exit command.
    for (const name of ['keep', 'lost']) {
      const dir = join(root, 'containers', byName(name)!.id);
      process.kill(Number(readFileSync(join(dir, 'conmon.pid'), 'utf8')), 'SIGKILL');
      process.kill(Number(readFileSync(join(dir, 'pidfile'), 'utf8')), 'SIGKILL');
    }
    await eventually(() =>
      assert.deepEqual(
        ['keep', 'lost'].map((n) => byName(n)?.state),
        ['exited', 'exited'],
      ),
    );
    // A one-shot command (ps, just above, again here) does not start them.
    assert.deepEqual(
      ['keep', 'lost', 'held'].map((n) => byName(n)?.state),
      ['exited', 'exited', 'exited'],
    );
    const daemon = spawn(process.execPath, [cliPath, '--root', root, 'daemon'], { stdio: 'ignore' });
    try {
      await eventually(
        () =>
          assert.deepEqual(
            ['keep', 'lost'].map((n) => byName(n)?.state),
            ['running', 'running'],
          ),
        20_000,
      );
      assert.equal(byName('held')?.state, 'exited', 'stopped by the user: unless-stopped lets it be');
      assert.match(ok(['ps']), /Up .* keep$/m);
    } finally {
      daemon.kill('SIGTERM');
      await once(daemon, 'exit');
    }
    ok(['rm', '-f', 'keep', 'lost', 'held']);
  });
});
