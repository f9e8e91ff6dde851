import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call } from '../core/api/engineClient.js';
import { openAppEngine } from '../core/app/appEngine.js';
import { connectToEngine } from '../core/client/engineConnection.js';
import { engineSocketPath } from '../core/server/endpoint.js';
import { cliPath, projectRoot, stevedore } from '../testkit/cli.js';
import { startDaemon } from '../testkit/daemon.js';
import { eventually } from '../testkit/eventually.js';
import {
  ensureTestUser,
  killNamespaceHolder,
  type NormalUser,
  removeUserTempDir,
  rootlessSkipReason,
  stevedoreAs,
  userEnv,
  userStoreWithBox,
} from '../testkit/normalUser.js';

// The engine of the desktop window (core/app/appEngine.ts, which electron/main.ts calls; the
// Electron binary itself is not here). Root gets it in the app's own process; a normal user on
// Linux gets rootless containers from a `stevedore daemon` that the app starts in the user's
// namespace, as a process with threads cannot enter one itself.
const skip = rootlessSkipReason();
if (skip) console.log(`# app engine test skipped: ${skip}`);

/** Whether an engine answers on the store's socket now. */
async function answering(root: string): Promise<boolean> {
  const connection = await connectToEngine(engineSocketPath(root));
  connection?.close();
  return connection !== undefined;
}

interface Run {
  exitCode: number;
  output: string;
}
interface Seen extends Run {
  where: string;
  runtime: string;
  reason: string;
  second?: Run;
  log: string[];
  changed: string[];
}

describe('the desktop app’s engine', { skip: skip || false }, () => {
  let user: NormalUser;
  let work: string;
  let root: string;

  /** What the window sees and logs, opened as the normal user (e2e/support/appEngineProbe.ts). */
  function openAsUser(): Seen {
    const r = spawnSync(process.execPath, probeArgs(), {
      encoding: 'utf8',
      uid: user.uid,
      gid: user.gid,
      cwd: projectRoot,
      env: userEnv(user, { STEVEDORE_RUNTIME: '' }),
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
  }

  function probeArgs(...more: string[]): string[] {
    return ['--import', 'tsx', join(projectRoot, 'e2e', 'support', 'appEngineProbe.ts'), root, cliPath, ...more];
  }

  /** The processes of the engine the app started for the store (the launcher and, inside, the engine). */
  function daemonPids(): number[] {
    const r = spawnSync('pgrep', ['-f', '--', `--root ${root} daemon`], { encoding: 'utf8' });
    return r.stdout.split('\n').filter(Boolean).map(Number);
  }

  before(async () => {
    user = ensureTestUser();
    ({ work, root } = await userStoreWithBox(user, 'stevedore-app-engine-', { STEVEDORE_RUNTIME: '' }));
  });

  after(() => {
    // An engine a failed test left, the store's namespace holder (podman's pause process), then
    // the files (root removes any) with the engines commands left.
    for (const pid of daemonPids()) process.kill(pid, 'SIGKILL');
    killNamespaceHolder(root);
    assert.deepEqual(removeUserTempDir(work), []);
  });

  it('a normal user: containers run rootless in a daemon the app starts, which ends with the app', async () => {
    assert.equal(await answering(root), false);
    const seen = openAsUser();
    assert.deepEqual([seen.where, seen.runtime, seen.exitCode], ['daemon started', 'rootless', 3]);
    // Settings says why, as `stevedore info` does for this user, not that something asked for it.
    assert.match(seen.reason, /native runc needs root; user namespaces work/);
    assert.ok(
      seen.log.some((line) => /^engine: Stevedore engine listening on /.test(line)),
      seen.log.join('\n'),
    );
    // Root in the container is the user on the host; the run went where the window's calls go.
    assert.match(seen.output, /^uid 0 in \S+\n$/);
    assert.equal(await answering(root), false, 'the daemon the app started is stopped when the app closes');
    const left = stevedoreAs(user, root, ['ps', '-aq'], { env: { STEVEDORE_RUNTIME: '' } });
    assert.equal(left.stdout, '', 'the --rm container is gone');
  });

  it('a normal user: the engine killed while the app is open is started again, and the window’s next run works', async (t) => {
    const probe = spawn(process.execPath, probeArgs('again'), {
      uid: user.uid,
      gid: user.gid,
      cwd: projectRoot,
      env: userEnv(user, { STEVEDORE_RUNTIME: '' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A failure below must not leave the probe waiting on its stdin (nor its engine running: after).
    t.after(() => probe.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    probe.stdout.on('data', (c) => (stdout += c));
    probe.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => probe.on('close', resolve));
    await eventually(() => assert.match(stdout, /^ready$/m, stderr), 120_000);
    const killed = daemonPids();
    assert.ok(killed.length > 0, 'the app started an engine');
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    // The app notices (it starts the engine again at once, or at the next call when the engine
    // had only just started: either way the window's next call works).
    await eventually(() => assert.match(stderr, /the connection to the engine ended/), 60_000);
    probe.stdin.end('go\n');
    assert.equal(await exited, 0, stderr);
    const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Seen;
    assert.deepEqual([seen.exitCode, seen.second?.exitCode], [3, 3]);
    assert.match(seen.second?.output ?? '', /^uid 0 in \S+\n$/);
    assert.ok(
      seen.log.some((line) =>
        /^engine: the connection to the engine ended; (starting it again|it is started again at the next call)$/.test(line),
      ),
      seen.log.join('\n'),
    );
    // The window's views are told to read everything again, once.
    assert.equal(seen.changed.filter((reason) => reason === 'the engine started again').length, 1, seen.changed.join(', '));
    assert.equal(await answering(root), false, 'the engine started again ends with the app too');
  });

  it('a normal user whose own daemon serves the store: the app uses it and leaves it running', async (t) => {
    const daemon = await startDaemon(root, userEnv(user, { STEVEDORE_RUNTIME: '' }), user);
    t.after(() => daemon.stop());
    const seen = openAsUser();
    assert.equal(seen.where, 'daemon found');
    assert.equal(seen.runtime, 'rootless');
    assert.equal(seen.exitCode, 3);
    assert.ok(daemon.alive());
    assert.equal(await answering(root), true);
  });

  it('root: the engine runs in the app’s process and serves the store’s socket for the CLI until the app closes', async (t) => {
    const rootStore = join(work, 'root-store');
    const lines: string[] = [];
    const host = await openAppEngine({ root: rootStore, cli: [process.execPath, cliPath], log: (line) => lines.push(line) });
    t.after(() => host.close());
    assert.equal(host.where, 'in-process');
    assert.equal((await call(host.client, 'engine.info', {})).runtime, 'native');
    // A command in a terminal goes through it: its images are the window's.
    await eventually(async () => assert.equal(await answering(rootStore), true));
    const listed = stevedore(rootStore, ['images', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    await host.close();
    await eventually(async () => assert.equal(await answering(rootStore), false));
    assert.deepEqual(lines, []);
  });
});
