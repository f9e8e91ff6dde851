// A foreground `run` (no -i, no -t) typed while an engine serves the store (`stevedore daemon`,
// the app) is run by that engine, as docker's CLI runs containers through its daemon: the
// terminal shows what it always shows, with the same exit codes, and Ctrl-C stops the container.
// Which engine answered is told by the run itself (testkit/engineTrace.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { type Daemon, startDaemon } from '../testkit/daemon.js';
import { type EnginePath, engineTrace } from '../testkit/engineTrace.js';
import { eventually } from '../testkit/eventually.js';
import { tempDir } from '../testkit/tempDir.js';

const work = tempDir('stevedore-run-through-');
const root = join(work, 'store');
// The daemon and the CLI read logins from the same place: the CLI may use the daemon.
process.env.DOCKER_CONFIG = join(work, 'docker-config');
const trace = engineTrace(work);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  path: EnginePath;
}

/** The built CLI as typed in a terminal (`alone`: with STEVEDORE_NO_DAEMON, in-process). */
function start(args: string[], alone = false) {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...env } = process.env;
  const traced = trace.run();
  const child = spawn(process.execPath, [...traced.nodeArgs, cliPath, '--root', root, ...args], {
    env: { ...env, ...traced.env, ...(alone ? { STEVEDORE_NO_DAEMON: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const done = new Promise<Ran>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, path: traced.path() })));
  return { child, done, stderr: () => stderr };
}

const run = (args: string[], alone = false) => start(args, alone).done;

function containerNames(): string[] {
  const ps = stevedore(root, ['ps', '-a', '--format', '{{.Names}}']);
  assert.equal(ps.code, 0, ps.stderr);
  return ps.stdout.split('\n').filter(Boolean);
}

describe('a foreground run through the engine serving the store', () => {
  let daemon: Daemon;

  before(async () => {
    await loadBoxImage(root, work);
    daemon = await startDaemon(root);
  });
  after(async () => {
    await daemon?.stop();
  });

  it('prints both streams and exits with the container’s code; the daemon ran it, and --rm left nothing', async () => {
    const ran = await run(['run', '--rm', '--network', 'none', 'box:v1', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(ran, { code: 3, stdout: 'out\n', stderr: 'err\n', path: 'engine' });
    assert.deepEqual(containerNames(), []);
    // Without --rm it stays, exited with its code, as any container the daemon ran.
    const kept = await run(['run', '--name', 'kept', 'box:v1', 'true']);
    assert.deepEqual([kept.code, kept.path], [0, 'engine'], kept.stderr);
    const inspect = stevedore(root, ['inspect', '--json', 'kept']);
    assert.equal((JSON.parse(inspect.stdout) as { exitCode: number }).exitCode, 0);
    assert.equal(stevedore(root, ['rm', 'kept']).code, 0);
  });

  it('answers a command not in the image with docker’s 127 and the same line as in-process', async () => {
    const args = ['run', '--rm', '--network', 'none', 'box:v1', 'no-such-command'];
    const [through, alone] = await Promise.all([run(args), run(args, true)]);
    assert.equal(through.path, 'engine');
    assert.equal(alone.path, 'in-process');
    assert.deepEqual({ code: through.code, stderr: through.stderr }, { code: 127, stderr: alone.stderr });
    assert.match(through.stderr, /^error: .*executable file not found in \$PATH\n$/);
  });

  it('stops the container on Ctrl-C, through the engine', async () => {
    const script = "trap 'echo stopped; exit 5' TERM; echo up; while true; do sleep 0.1; done";
    const started = start(['run', '--rm', '--network', 'none', '--name', 'interrupted', 'box:v1', 'sh', '-c', script]);
    await eventually(() => assert.deepEqual(containerNames(), ['interrupted']), 30_000);
    await eventually(() => {
      const logs = stevedore(root, ['logs', 'interrupted']);
      assert.equal(logs.stdout, 'up\n');
    }, 30_000);
    started.child.kill('SIGINT');
    const ran = await started.done;
    assert.deepEqual([ran.code, ran.stdout, ran.path], [5, 'up\nstopped\n', 'engine']);
    assert.match(ran.stderr, /stopping the container/);
    assert.deepEqual(containerNames(), []);
  });

  it('-d goes to the engine too: the ID printed, the container running; -i stays in this process, where the terminal is', async () => {
    const detached = await run(['run', '-d', '--name', 'detached', '--network', 'none', 'box:v1', 'sleep', '30']);
    assert.deepEqual([detached.code, detached.path], [0, 'engine'], detached.stderr);
    assert.match(detached.stdout, /^[0-9a-f]{64}\n$/);
    const inspect = stevedore(root, ['inspect', '--json', 'detached']);
    const shown = JSON.parse(inspect.stdout) as { id: string; state: string };
    assert.deepEqual([shown.id, shown.state], [detached.stdout.trim(), 'running']);
    assert.equal(stevedore(root, ['rm', '-f', 'detached']).code, 0);
    // What the engine did otherwise than asked reaches this terminal as a warning, as in-process.
    const host = await run(['run', '-d', '--rm', '--network', 'host', '-p', '8080:80', 'box:v1', 'true']);
    assert.deepEqual([host.code, host.path], [0, 'engine'], host.stderr);
    assert.equal(host.stderr, 'warning: published ports are discarded with --network host\n');
    const interactive = await run(['run', '-i', '--rm', '--network', 'none', 'box:v1', 'true']);
    assert.deepEqual([interactive.code, interactive.path], [0, 'in-process'], interactive.stderr);
  });
});
