// `stevedore pull` and `push` (runTransfer) through a running engine (`stevedore daemon`), against
// Debian's docker-registry: the same output, exit codes and Ctrl-C as in-process, with the work
// done by the daemon's engine. Which path a run took is told by the run itself
// (testkit/engineTrace.ts: an answer over the engine socket, a connection tried, or none).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { cliPath } from '../../testkit/cli.js';
import { startDaemon } from '../../testkit/daemon.js';
import { type EnginePath, engineTrace } from '../../testkit/engineTrace.js';
import { eventually } from '../../testkit/eventually.js';
import type { WrittenImage } from '../../testkit/ociLayout.js';
import { layoutWithImages, type ProxiedRegistry, randomLayers, startProxiedRegistry } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { TransferProgress, TransferStatus } from '../api/events.schema.js';

const work = tempDir('stevedore-transfer-run-');
const trace = engineTrace(work);
/** The store images are loaded into, then pushed from. */
const source = join(work, 'source');
// Logins are read from here by every process of the test, the daemons included.
process.env.DOCKER_CONFIG = join(work, 'docker-config');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  path: EnginePath;
}

function environment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...env } = process.env;
  return { ...env, ...extra };
}

/** The built CLI, as a person runs it; the path it took (engine, in-process, or a fallback to it). */
function cli(root: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Run {
  const traced = trace.run();
  const r = spawnSync(process.execPath, [...traced.nodeArgs, cliPath, '--root', root, ...args], {
    encoding: 'utf8',
    env: environment({ ...traced.env, ...extraEnv }),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, path: traced.path() };
}

function cliAsync(root: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const traced = trace.run();
  const child = spawn(process.execPath, [...traced.nodeArgs, cliPath, '--root', root, ...args], {
    env: environment({ ...traced.env, ...extraEnv }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, path: traced.path() })),
  );
  return { child, done, stdout: () => stdout };
}

const inProcess = { STEVEDORE_NO_DAEMON: '1' };

/** Lines in order where they are ordered, blob lines sorted: blobs are fetched in parallel. */
function normalized(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .sort((a, b) => (/^[0-9a-f]{12}: /.test(a) && /^[0-9a-f]{12}: /.test(b) ? a.localeCompare(b) : 0));
}

/** A client of the engine socket other than the CLI, to watch the engine's transfer events. */
async function watchTransfers(socketPath: string) {
  const ws = new WebSocket('ws://localhost/api', { createConnection: () => connect(socketPath) });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const progress: TransferProgress[] = [];
  const ended: TransferStatus[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.kind === 'event' && m.topic === 'transfer.progress') progress.push(m.payload);
    if (m.kind === 'event' && m.topic === 'transfer.ended') ended.push(m.payload);
  });
  ws.send(JSON.stringify({ kind: 'subscribe', topic: 'transfer.progress' }));
  ws.send(JSON.stringify({ kind: 'subscribe', topic: 'transfer.ended' }));
  // The subscriptions hold once a later invoke is answered.
  await new Promise<void>((resolve) => {
    ws.once('message', () => resolve());
    ws.send(JSON.stringify({ kind: 'invoke', id: 1, method: 'engine.info', args: {} }));
  });
  return { progress, ended, close: () => ws.terminate() };
}

/** Waits until `seen` holds: events come from other processes (the daemon, the CLI), when they come. */
const until = (seen: () => boolean, what: string) => eventually(() => assert.ok(seen(), `no ${what}`), 20_000);

function blobCount(root: string): number {
  const dir = join(root, 'oci', 'blobs', 'sha256');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

const short = (digest: string) => digest.slice(7, 19);

/**
 * An image in the registry whose big layer's download stops after 200 kB and never ends, behind
 * the proxy: a pull of it runs until it is cancelled.
 */
async function pushStalledImage(proxied: ProxiedRegistry, name: string): Promise<{ ref: string; slowLayer: string }> {
  const [big, small] = await randomLayers([2_000_000, 50_000]);
  const layout = join(work, `${name}-layout`);
  const [image] = await layoutWithImages(layout, [{ refName: name, layers: [small!, big!] }]);
  const slowLayer = image!.layerDigests[1]!;
  const pushed = cli(source, ['load', '-i', layout, '--name', `localhost/${name}`]);
  assert.equal(pushed.code, 0, pushed.stderr);
  const up = cli(source, ['push', `localhost/${name}:${name}`, `${proxied.registry.host}/team/${name}:1`], inProcess);
  assert.equal(up.code, 0, up.stderr);
  proxied.proxy.addRule({ method: 'GET', path: new RegExp(`/blobs/${slowLayer}`), fault: { stallAfter: 200_000 }, times: 100 });
  return { ref: `${proxied.host}/team/${name}:1`, slowLayer };
}

describe('pull and push through a running engine (stevedore daemon)', () => {
  let registry: RunningRegistry;
  let images: WrittenImage[] = [];

  before(async () => {
    registry = await startRegistry();
    const [base, a, b] = await randomLayers([300_000, 100_000, 100_000]);
    images = await layoutWithImages(join(work, 'layout'), [
      { refName: 'a', layers: [base!, a!] },
      { refName: 'b', layers: [base!, b!] },
    ]);
    assert.equal(cli(source, ['load', '-i', join(work, 'layout'), '--name', 'localhost/app']).code, 0);
    const pushed = cli(source, ['push', 'localhost/app:a', `${registry.host}/team/app:a`], inProcess);
    assert.equal(pushed.code, 0, pushed.stderr);
  });
  after(async () => {
    await registry?.stop();
  });

  it('pull prints what it prints in-process, and the daemon did the work', async () => {
    const [a] = images as [WrittenImage];
    const ref = `${registry.host}/team/app:a`;
    const root = join(work, 'pull-daemon');
    const daemon = await startDaemon(root, environment({}));
    const watch = await watchTransfers(daemon.socketPath);
    try {
      const through = cli(root, ['pull', ref]);
      const alone = cli(join(work, 'pull-alone'), ['pull', ref]);
      assert.equal(alone.path, 'in-process');
      assert.equal(through.path, 'engine');
      assert.deepEqual([through.code, through.stderr], [0, '']);
      assert.deepEqual(normalized(through.stdout), normalized(alone.stdout));
      assert.deepEqual(through.stdout.trim().split('\n').slice(-2), [`Digest: ${a.manifestDigest}`, ref]);
      for (const d of a.layerDigests) assert.ok(through.stdout.includes(`${short(d)}: Pull complete\n`), through.stdout);
      // The daemon's engine pulled: its events, and the image in its store.
      await until(() => watch.ended.length > 0, 'transfer.ended');
      assert.deepEqual(
        watch.ended.map((t) => [t.operation, t.state, t.digest]),
        [['pull', 'done', a.manifestDigest]],
      );
      const done = new Set(watch.progress.filter((p) => p.state === 'done').map((p) => p.digest));
      for (const d of [a.configDigest, ...a.layerDigests]) assert.ok(done.has(d), `no done event for ${d}`);
      assert.ok(watch.progress.every((p) => p.transferId === watch.ended[0]!.transferId));
      assert.equal(blobCount(root), 2 + a.layerDigests.length);
      assert.match(cli(root, ['images']).stdout, new RegExp(`^${registry.host}/team/app +a +${short(a.configDigest)} `, 'm'));
      // Pulled again: every blob already exists, as in-process.
      const again = cli(root, ['pull', ref]);
      assert.equal(again.path, 'engine');
      assert.deepEqual(normalized(again.stdout), normalized(cli(join(work, 'pull-alone'), ['pull', ref]).stdout));
    } finally {
      watch.close();
      await daemon.stop();
    }
  });

  it('on a terminal, pull through the engine draws the same progress bars, redrawn in place', async () => {
    const root = join(work, 'tty');
    const daemon = await startDaemon(root, environment({}));
    try {
      const traced = trace.run();
      const env = environment({ COLUMNS: '120', ...traced.env });
      const cmd = `${process.execPath} ${traced.nodeArgs.join(' ')} ${cliPath} --root ${root} pull ${registry.host}/team/app:a`;
      const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(traced.path(), 'engine');
      assert.match(r.stdout, /\x1b\[\d+A/, 'the cursor moves up to redraw');
      assert.match(r.stdout, /Total \[=+\] \S+\/\S+/);
    } finally {
      await daemon.stop();
    }
  });

  it('runs in-process without an engine, past a stale socket, and with STEVEDORE_NO_DAEMON=1', async () => {
    const ref = `${registry.host}/team/app:a`;
    const root = join(work, 'stale');
    const alone = cli(root, ['pull', ref]);
    assert.deepEqual([alone.code, alone.path], [0, 'in-process']);
    assert.equal(cli(root, ['rmi', ref]).code, 0);
    assert.equal(cli(root, ['gc']).code, 0);
    // A crashed engine's socket: the file, nobody listening.
    const socket = join(root, 'engine.sock');
    spawnSync(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => process.exit(0))', socket]);
    assert.ok(lstatSync(socket).isSocket());
    const past = cli(root, ['pull', ref]);
    assert.deepEqual([past.code, past.stderr, past.path], [0, '', 'fallback']);
    assert.deepEqual(normalized(past.stdout), normalized(alone.stdout));
    // A daemon started later takes the stale file's place, and pulls go through it.
    const daemon = await startDaemon(root, environment({}));
    try {
      assert.equal(daemon.socketPath, socket);
      assert.equal(lstatSync(socket).mode & 0o777, 0o600);
      assert.equal(cli(root, ['pull', ref]).path, 'engine');
      const forced = cli(root, ['pull', ref], inProcess);
      assert.deepEqual([forced.code, forced.path], [0, 'in-process']);
      // A person with logins elsewhere (another Docker config) pulls as themselves, in-process.
      const elsewhere = cli(root, ['pull', ref], { DOCKER_CONFIG: join(work, 'other-docker-config') });
      assert.deepEqual([elsewhere.code, elsewhere.path], [0, 'fallback']);
      // Help and malformed command lines are commander's: no engine is asked.
      const help = cli(root, ['pull', '--help']);
      assert.equal(help.path, 'in-process');
      assert.match(help.stdout, /^Usage: stevedore pull \[options\] <ref>/);
      const typo = cli(root, ['pull', '--insecur', ref]);
      assert.deepEqual(
        [typo.code, typo.stderr, typo.path],
        [1, "error: unknown option '--insecur' (Did you mean --insecure?)\n", 'in-process'],
      );
    } finally {
      await daemon.stop();
    }
  });

  it('fails in the same line and with the same exit code as in-process', async () => {
    const root = join(work, 'errors');
    assert.equal(cli(root, ['load', '-i', join(work, 'layout'), '--name', 'localhost/app']).code, 0);
    const daemon = await startDaemon(root, environment({}));
    try {
      const id = images[0]!.configDigest.slice(7, 19);
      for (const args of [
        ['pull', `${registry.host}/team/app:nope`],
        ['pull', `${registry.host}/team/none:a`],
        ['pull', 'Not//A/Reference'],
        ['pull', '--platform', 'linux', `${registry.host}/team/app:a`],
        ['pull', '127.0.0.1:1/app:a'],
        ['push', id],
        ['push', 'localhost/none:1', `${registry.host}/team/none:1`],
        ['push', 'localhost/app:a', 'Not//A/Reference'],
      ]) {
        const through = cli(root, args);
        const alone = cli(root, args, inProcess);
        assert.equal(through.path, 'engine', args.join(' '));
        assert.equal(alone.path, 'in-process');
        assert.equal(through.code, 1, args.join(' '));
        assert.match(through.stderr, /^error: .+\n$/);
        assert.deepEqual(
          [through.code, through.stdout, through.stderr],
          [alone.code, alone.stdout, alone.stderr],
          args.join(' '),
        );
      }
    } finally {
      await daemon.stop();
    }
  });

  it('push prints what it prints in-process: pushed, then existing, then mounted blobs', async () => {
    const [a, b] = images as [WrittenImage, WrittenImage];
    // Registries that have none of the blobs yet, one for each path.
    const [fresh, elsewhere] = await Promise.all([startRegistry(), startRegistry()]);
    const daemon = await startDaemon(source, environment({}));
    const watch = await watchTransfers(daemon.socketPath);
    try {
      const target = `${fresh.host}/viad/app:a`;
      const through = cli(source, ['push', 'localhost/app:a', target]);
      assert.deepEqual([through.code, through.stderr, through.path], [0, '', 'engine']);
      for (const d of [a.configDigest, ...a.layerDigests])
        assert.ok(through.stdout.includes(`${short(d)}: Pushed\n`), through.stdout);
      assert.ok(through.stdout.endsWith(`${target}: digest: ${a.manifestDigest} size: ${a.manifestSize}\n`), through.stdout);
      const alone = cli(source, ['push', 'localhost/app:a', `${elsewhere.host}/viad/app:a`], inProcess);
      assert.equal(alone.code, 0, alone.stderr);
      assert.deepEqual(
        normalized(through.stdout.replace(fresh.host, 'R')),
        normalized(alone.stdout.replace(elsewhere.host, 'R')),
      );

      const again = cli(source, ['push', 'localhost/app:a', target]);
      for (const d of a.layerDigests) assert.ok(again.stdout.includes(`${short(d)}: Layer already exists\n`), again.stdout);
      const mounted = cli(source, ['push', 'localhost/app:b', `${fresh.host}/viad/b:1`]);
      assert.equal(mounted.path, 'engine');
      assert.ok(mounted.stdout.includes(`${short(b.layerDigests[0]!)}: Mounted from viad/app\n`), mounted.stdout);
      assert.ok(mounted.stdout.includes(`${short(b.layerDigests[1]!)}: Pushed\n`), mounted.stdout);
      await until(() => watch.ended.length === 3, 'three transfer.ended');
      assert.deepEqual(
        watch.ended.map((t) => [t.operation, t.state]),
        [
          ['push', 'done'],
          ['push', 'done'],
          ['push', 'done'],
        ],
      );
    } finally {
      watch.close();
      await daemon.stop();
      await Promise.all([fresh.stop(), elsewhere.stop()]);
    }
  });

  it('Ctrl-C during a slow pull cancels it on the engine, as in-process, and keeps nothing of it', async () => {
    let proxied: ProxiedRegistry | undefined;
    const daemonRoot = join(work, 'cancel-daemon');
    const daemon = await startDaemon(daemonRoot, environment({}));
    const watch = await watchTransfers(daemon.socketPath);
    try {
      proxied = await startProxiedRegistry();
      const { ref, slowLayer } = await pushStalledImage(proxied, 'slow');

      const through = cliAsync(daemonRoot, ['pull', ref]);
      await until(
        () => watch.progress.some((p) => p.digest === slowLayer && p.state === 'transferring' && p.bytesDone > 0),
        'download of the slow layer',
      );
      // Blobs are in the store by now (the config, the small layer): "nothing kept" below is a removal.
      await until(() => blobCount(daemonRoot) > 0, 'blob stored by the pull');
      through.child.kill('SIGINT');
      const cancelled = await through.done;

      const aloneRoot = join(work, 'cancel-alone');
      const alone = cliAsync(aloneRoot, ['pull', ref], inProcess);
      // Cancelled as the run through the engine was: downloading the slow layer, with blobs stored.
      await until(() => alone.stdout().includes(`${short(slowLayer)}: Downloading\n`), 'in-process download of the slow layer');
      await until(() => blobCount(aloneRoot) > 0, 'blob stored by the in-process pull');
      alone.child.kill('SIGINT');
      const aloneCancelled = await alone.done;

      assert.equal(cancelled.path, 'engine');
      assert.equal(aloneCancelled.path, 'in-process');
      assert.match(cancelled.stderr, /^error: pull of .+ cancelled\n$/);
      assert.deepEqual([cancelled.code, cancelled.signal, cancelled.stderr], [aloneCancelled.code, null, aloneCancelled.stderr]);
      assert.equal(cancelled.code, 1);
      // The engine cancelled the transfer, and kept nothing of it: no blob, no download in progress.
      await until(() => watch.ended.length > 0, 'transfer.ended');
      assert.deepEqual(
        watch.ended.map((t) => t.state),
        ['cancelled'],
      );
      assert.equal(blobCount(daemonRoot), 0);
      assert.deepEqual(readdirSync(join(daemonRoot, 'tmp', 'ingest')), []);
      assert.equal(blobCount(aloneRoot), 0);
    } finally {
      watch.close();
      await daemon.stop();
      await proxied?.stop();
    }
  });

  it('a closed terminal (HUP), or a reader that closed the pipe, ends the pull on the engine too', async () => {
    let proxied: ProxiedRegistry | undefined;
    const daemonRoot = join(work, 'hangup-daemon');
    const daemon = await startDaemon(daemonRoot, environment({}));
    const watch = await watchTransfers(daemon.socketPath);
    try {
      proxied = await startProxiedRegistry();
      const { ref, slowLayer } = await pushStalledImage(proxied, 'stalled');
      const started = () => watch.progress.some((p) => p.digest === slowLayer && p.state === 'transferring' && p.bytesDone > 0);

      const hungUp = cliAsync(daemonRoot, ['pull', ref]);
      await until(started, 'download of the stalled layer');
      await until(() => blobCount(daemonRoot) > 0, 'blob stored by the pull');
      hungUp.child.kill('SIGHUP');
      const afterHangUp = await hungUp.done;
      assert.equal(afterHangUp.path, 'engine');
      assert.deepEqual([afterHangUp.code, afterHangUp.signal], [1, null]);
      await until(() => watch.ended.length === 1, 'the first transfer.ended');

      // In-process, a hang-up cancels the same way: one line, exit 1, nothing kept.
      const aloneRoot = join(work, 'hangup-alone');
      const alone = cliAsync(aloneRoot, ['pull', ref], inProcess);
      // Cancelled as the run through the engine was: downloading the slow layer, with blobs stored.
      await until(() => alone.stdout().includes(`${short(slowLayer)}: Downloading\n`), 'in-process download of the slow layer');
      await until(() => blobCount(aloneRoot) > 0, 'blob stored by the in-process pull');
      alone.child.kill('SIGHUP');
      const aloneHungUp = await alone.done;
      assert.equal(aloneHungUp.path, 'in-process');
      assert.deepEqual([aloneHungUp.code, aloneHungUp.signal, aloneHungUp.stderr], [1, null, afterHangUp.stderr]);
      assert.equal(blobCount(aloneRoot), 0);

      // Nobody reads the output: the first line written fails with EPIPE, as `| head -0` would.
      watch.progress.length = 0;
      const unread = cliAsync(daemonRoot, ['pull', ref]);
      unread.child.stdout.destroy();
      const afterPipe = await unread.done;
      assert.equal(afterPipe.path, 'engine');
      assert.deepEqual([afterPipe.code, afterPipe.signal], [0, null]);
      await until(() => watch.ended.length === 2, 'the second transfer.ended');

      assert.deepEqual(
        watch.ended.map((t) => t.state),
        ['cancelled', 'cancelled'],
      );
      assert.equal(blobCount(daemonRoot), 0);
      assert.deepEqual(readdirSync(join(daemonRoot, 'tmp', 'ingest')), []);
    } finally {
      watch.close();
      await daemon.stop();
      await proxied?.stop();
    }
  });

  const uis = new Set<ChildProcess>();
  after(() => {
    for (const ui of uis) ui.kill('SIGKILL');
  });
  it('stevedore ui serves the engine socket too; a second one on the root says quietly that it does not', async () => {
    const root = join(work, 'ui');
    const socket = join(root, 'engine.sock');
    const startUi = () => {
      const child = spawn(process.execPath, [cliPath, '--root', root, 'ui', '--port', '0'], { env: environment({}) });
      uis.add(child);
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c) => {
          stdout += c;
          if (stdout.includes('Press Ctrl-C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`stevedore ui exited (${code}): ${stdout}${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      return {
        ready,
        output: () => ({ stdout, stderr }),
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          uis.delete(child);
          return code;
        },
      };
    };
    const first = startUi();
    await first.ready;
    try {
      assert.equal(lstatSync(socket).mode & 0o777, 0o600);
      const pulled = cli(root, ['pull', `${registry.host}/team/app:a`]);
      assert.deepEqual([pulled.code, pulled.path], [0, 'engine']);
      const second = startUi();
      await second.ready;
      assert.equal(second.output().stderr, `Not serving ${socket}: another engine already serves it.\n`);
      assert.match(second.output().stdout, /^Stevedore is serving the app at http:\/\/127\.0\.0\.1:\d+\/\?token=\w+\n/);
      assert.equal(await second.stop(), 0);
      assert.ok(lstatSync(socket).isSocket(), 'the second server left the first one its socket');
      assert.equal(first.output().stderr, '');
    } finally {
      assert.equal(await first.stop(), 0);
    }
    assert.equal(existsSync(socket), false);
  });

  it('the daemon: one line, a 0600 socket, no second daemon on the root, the file gone when it stops', async () => {
    const root = join(work, 'daemon');
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const daemon = await startDaemon(root, environment({}));
      const socket = join(root, 'engine.sock');
      assert.equal(daemon.firstLine, `Stevedore engine listening on ${socket}`);
      const st = lstatSync(socket);
      assert.ok(st.isSocket());
      assert.equal(st.mode & 0o777, 0o600);
      const second = cli(root, ['daemon']);
      assert.deepEqual(
        [second.code, second.stdout, second.stderr],
        [1, '', `error: not serving ${socket}: another engine already serves it\n`],
      );
      assert.equal(lstatSync(socket).ino, st.ino);
      const stopped = await daemon.stop(signal);
      assert.equal(stopped.code, 0, stopped.output);
      assert.equal(stopped.output, `Stevedore engine listening on ${socket}\n`);
      assert.equal(existsSync(socket), false);
    }
  });
});
