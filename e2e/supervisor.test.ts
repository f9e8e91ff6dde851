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
import { processRunningWith } from '../testkit/processes.js';
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
      {
        refName: 'checked',
        layers: [await busyboxLayer(['sh', 'true', 'sleep', 'cat'])],
        // docker's config.Healthcheck: durations in nanoseconds. Each check is a CLI start (~0.3 s
        // of CPU): at one a second, the checks of this file take a fifth of a core, not a core.
        config: { Cmd: ['sleep', '600'], Healthcheck: { Test: ['CMD', 'cat', '/etc/hostname'], Interval: 1e9, Retries: 2 } },
      },
    ]);
  });

  after(() => {
    for (const c of ps()) stevedore(root, ['rm', '-f', c.id]);
  });

  it('starts run -it and exec -it clean: the command’s output and nothing before it', () => {
    assert.equal(onTerminal(['run', '-it', '--rm', 'box:v1', 'echo', 'hi']), 'hi\r\n');
    ok(['run', '-d', '--name', 'shell', 'box:v1', 'sleep', '600']);
    try {
      assert.equal(onTerminal(['exec', '-it', 'shell', 'echo', 'hi']), 'hi\r\n');
    } finally {
      // The next tests remove an image it uses: left running, it would fail them too.
      ok(['rm', '-f', 'shell']);
    }
  });

  it('start -ai of a container with a terminal prints its output as that terminal wrote it', () => {
    ok(['create', '-it', '--name', 'typed', 'box:v1', 'echo', 'hi']);
    try {
      assert.equal(onTerminal(['start', '-ai', 'typed']), 'hi\r\n');
    } finally {
      ok(['rm', '-f', 'typed']);
    }
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
  it('runs health checks beside the container: the image’s passes, a failing --health-cmd turns unhealthy, none shows nothing', async () => {
    ok(['run', '-d', '--name', 'fine', 'box:checked']);
    ok([
      'run',
      '-d',
      '--name',
      'sick',
      '--health-cmd',
      'echo no; exit 1',
      '--health-interval',
      '1s',
      '--health-retries',
      '2',
      'box:v1',
      'sleep',
      '600',
    ]);
    ok(['run', '-d', '--name', 'slow', '--health-cmd', 'true', '--health-interval', '10m', 'box:v1', 'sleep', '600']);
    ok(['run', '-d', '--name', 'plain', 'box:v1', 'sleep', '600']);
    ok(['run', '-d', '--name', 'off', '--no-healthcheck', 'box:checked']);
    const status = (name: string) => new RegExp(`^\\S+\\s+\\S+\\s+.*\\s(Up [^\\n]*?)\\s+${name}$`, 'm').exec(ok(['ps']))?.[1];
    assert.match(status('slow') ?? '', /^Up .* \(health: starting\)$/);
    await eventually(() => assert.match(status('fine') ?? '', /^Up .* \(healthy\)$/), 20_000);
    await eventually(() => assert.match(status('sick') ?? '', /^Up .* \(unhealthy\)$/), 20_000);
    for (const name of ['plain', 'off']) assert.doesNotMatch(status(name) ?? 'missing', /health|\(|missing/, name);

    interface Detail {
      healthcheck: { test: string[]; intervalMs: number; retries: number } | null;
      healthState: { status: string; failingStreak: number; log: { exitCode: number; output: string }[] } | null;
    }
    const inspect = (name: string) => JSON.parse(ok(['inspect', '--json', name])) as Detail;
    const fine = inspect('fine');
    assert.deepEqual(fine.healthcheck?.test, ['CMD', 'cat', '/etc/hostname']);
    assert.equal(fine.healthState?.status, 'healthy');
    assert.equal(fine.healthState?.log.at(-1)?.exitCode, 0);
    assert.equal(fine.healthState?.log.at(-1)?.output, `${byName('fine')!.id.slice(0, 12)}\n`);
    // docker's shape: State.Health and Config.Healthcheck.
    assert.equal(
      ok(['inspect', '-f', '{{.State.Health.Status}} {{json .Config.Healthcheck.Test}}', 'fine']),
      'healthy ["CMD","cat","/etc/hostname"]\n',
    );
    const sick = inspect('sick');
    assert.deepEqual([sick.healthcheck?.test, sick.healthcheck?.retries], [['CMD-SHELL', 'echo no; exit 1'], 2]);
    assert.ok((sick.healthState?.failingStreak ?? 0) >= 2);
    assert.deepEqual(sick.healthState?.log.at(-1), { ...sick.healthState?.log.at(-1), exitCode: 1, output: 'no\n' });
    assert.ok((sick.healthState?.log.length ?? 0) <= 5, 'the last five checks');
    for (const name of ['plain', 'off']) assert.deepEqual([inspect(name).healthcheck, inspect(name).healthState], [null, null]);

    // The checks end with the container: no loop is left once it is gone.
    const ids = ['fine', 'sick', 'slow'].map((n) => byName(n)!.id);
    ok(['rm', '-f', 'fine', 'sick', 'slow', 'plain', 'off']);
    await eventually(
      () =>
        assert.deepEqual(
          ids.filter((id) => processRunningWith('container-healthcheck', id)),
          [],
        ),
      20_000,
    );
    const refused = stevedore(root, ['run', '-d', '--no-healthcheck', '--health-cmd', 'true', 'box:v1']);
    assert.deepEqual([refused.code, refused.stderr], [125, 'error: --no-healthcheck conflicts with --health-* options\n']);
  });
});
