import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VERSION } from '../core/version.js';
import { syncGuestClock } from '../core/vm/guestClock.js';
import { machinePaths } from '../core/vm/machinePaths.js';
import { readRunRecord } from '../core/vm/machineRun.js';
import { eventually } from '../testkit/eventually.js';
import { GUEST_REF, machineTestSkipReason, userStoreWithGuest } from '../testkit/machineSetup.js';
import { ensureTestUser, type NormalUser, stevedoreAs, userDir, userTempDir } from '../testkit/normalUser.js';

// Containers for a desktop user: a normal account (created by the suite) with no root and no
// runc of its own runs containers through a Stevedore machine (QEMU, TCG here), the real CLI
// all the way. Skipped only where QEMU cannot run at all, or the suite cannot make the user.
const skip = machineTestSkipReason();
if (skip) console.log(`# VM runtime test skipped: ${skip}`);

/** A TCP port free on the host's loopback now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function curl(url: string): { code: number; body: string } {
  const r = spawnSync('curl', ['-s', '--max-time', '20', url], { encoding: 'utf8' });
  return { code: r.status ?? -1, body: r.stdout };
}

function qemuOwner(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

// A stuck guest must fail the suite, never hang it: every test has a bound far above its normal time.
describe('containers through the machine, as a normal user', { skip: skip || false, timeout: 600_000 }, () => {
  let user: NormalUser;
  let work: string;
  let root: string;
  // This suite is about the machine: asked for by name, whatever a normal user's default becomes.
  const as = (args: string[], input?: string) =>
    stevedoreAs(user, root, args, { env: { STEVEDORE_RUNTIME: 'vm' }, ...(input === undefined ? {} : { input }) });
  const ok = (args: string[], input?: string) => {
    const r = as(args, input);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const status = () =>
    JSON.parse(ok(['machine', 'status', '--json']).stdout) as { state: string; pid?: number; accelerator?: string };
  const consoleLog = () => readFileSync(machinePaths(root).consoleLog, 'utf8');
  const names = (all = true) =>
    (JSON.parse(ok(['ps', ...(all ? ['-a'] : []), '--json']).stdout) as { name: string; state: string }[]).map(
      (c) => `${c.name} ${c.state}`,
    );

  before(async () => {
    user = ensureTestUser();
    work = userTempDir(user, 'stevedore-vm-');
    root = await userStoreWithGuest(user, work);
  });

  after(() => {
    if (root) as(['machine', 'rm', '-f']);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('says in one line how to make a machine when there is none', () => {
    const r = as(['run', '--rm', 'box:v1', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^error: .*stevedore machine init/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('run --rm starts the machine on demand, shows the output and gives the exit code', () => {
    ok(['machine', 'init', '--image', GUEST_REF, '--memory', '1024']);
    const r = as(['run', '--rm', 'box:v1', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /^Starting machine "default" to run containers/m);
    assert.match(r.stderr, /^err$/m);
    const s = status();
    assert.equal(s.state, 'running');
    // The machine is the user's own: QEMU runs as the user, not as root.
    assert.equal(qemuOwner(s.pid!), user.uid);
    assert.deepEqual(names(), [], '--rm left nothing behind');
    // A command not in the image: docker's words and 127, as on a native engine.
    const missing = as(['run', '--rm', 'box:v1', 'no-such-command']);
    assert.equal(missing.code, 127, missing.stderr);
    assert.match(missing.stderr, /executable file not found in \$PATH/);
    // The image's Cmd, and a name the guest already has: not sent again.
    assert.equal(ok(['run', '--rm', 'box:v1']).stdout, 'hello from the image\n');
  });

  // The first boot of a delivery makes the agent's startup snapshot in the background
  // (guest/files/seed.cjs); the boots after it start the agent from it (machine stop and start,
  // below), and one that cannot be read costs its boot the start, not the machine (QEMU killed).
  it('the first boot makes the agent’s startup snapshot', async () => {
    await eventually(() => assert.match(consoleLog(), /startup snapshot is made/), 120_000, 500);
  });

  it('-d, logs, ps, stop and rm', async () => {
    const id = ok(['run', '-d', '--name', 'ticker', 'box:v1', 'sh', '-c', 'echo started; exec sleep 1000']).stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.deepEqual(names(false), ['ticker running']);
    await eventually(() => assert.equal(ok(['logs', 'ticker']).stdout, 'started\n'));
    ok(['stop', '-t', '1', 'ticker']);
    assert.deepEqual(names(), ['ticker exited']);
    ok(['rm', 'ticker']);
    assert.deepEqual(names(), []);
  });

  it('volumes, stats, pause and unpause work through the machine; a volume keeps its data across containers', () => {
    ok(['volume', 'create', 'vmdata']);
    ok(['run', '--rm', '-v', 'vmdata:/data', 'box:v1', 'sh', '-c', 'echo kept > /data/note']);
    assert.equal(ok(['run', '--rm', '-v', 'vmdata:/data', 'box:v1', 'cat', '/data/note']).stdout, 'kept\n');
    assert.match(ok(['volume', 'ls']).stdout, /^local\s+vmdata$/m);
    ok(['run', '-d', '--name', 'frozen', 'box:v1', 'sleep', '1000']);
    // The machine runs containers with crun, which has no `runc events`: stats reads the cgroup.
    const [stats] = JSON.parse(ok(['stats', '--no-stream', '--json', 'frozen']).stdout) as {
      name: string;
      memoryUsageBytes: number;
      pids: number;
    }[];
    assert.equal(stats?.name, 'frozen');
    assert.equal(stats?.pids, 1);
    assert.ok(stats.memoryUsageBytes > 0, `memory in use: ${stats.memoryUsageBytes}`);
    ok(['pause', 'frozen']);
    assert.match(ok(['ps']).stdout, /Up .+ \(Paused\)\s+frozen$/m);
    ok(['unpause', 'frozen']);
    ok(['rm', '-f', 'frozen']);
    ok(['volume', 'rm', 'vmdata']);
    assert.doesNotMatch(ok(['volume', 'ls']).stdout, /vmdata/);
  });

  it('a user network in the machine: a container finds another by name and alias, and rm leaves none', () => {
    ok(['network', 'create', 'vmnet']);
    ok(['run', '-d', '--name', 'peer', '--network', 'vmnet', '--network-alias', 'db', 'box:v1', 'sleep', '1000']);
    // The names reach a container on the network through its /etc/hosts (docs/networking.md).
    const hosts = ok(['run', '--rm', '--network', 'vmnet', 'box:v1', 'cat', '/etc/hosts']).stdout;
    assert.match(hosts, /^\d+\.\d+\.\d+\.\d+\t.*\bpeer\b.*$/m);
    assert.match(hosts, /^\d+\.\d+\.\d+\.\d+\t.*\bdb\b.*$/m);
    assert.doesNotMatch(
      ok(['run', '--rm', 'box:v1', 'cat', '/etc/hosts']).stdout,
      /\bpeer\b/,
      'the default bridge resolves no names',
    );
    ok(['rm', '-f', 'peer']);
    ok(['network', 'rm', 'vmnet']);
    assert.doesNotMatch(ok(['network', 'ls']).stdout, /vmnet/);
  });

  it('exec runs in the container with its exit code, and passes stdin with -i', () => {
    ok(['run', '-d', '--name', 'shell', 'box:v1', 'sleep', '1000']);
    const r = as(['exec', 'shell', 'sh', '-c', 'echo $((6*7)); echo oops >&2; exit 4']);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '42\n');
    assert.equal(r.stderr, 'oops\n');
    assert.equal(ok(['exec', '-i', 'shell', 'cat'], 'through stdin\n').stdout, 'through stdin\n');
    ok(['rm', '-f', 'shell']);
  });

  it('a published port answers on the host address asked for', async () => {
    const port = await freePort();
    ok(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:8080`, 'box:v1', 'httpd', '-f', '-p', '8080', '-h', '/etc']);
    assert.match(ok(['ps']).stdout, new RegExp(`127\\.0\\.0\\.1:${port}->8080/tcp`));
    await eventually(() => assert.match(curl(`http://127.0.0.1:${port}/passwd`).body, /^app:x:1000:1000/m), 30_000, 200);
    // The same port again is refused as docker refuses it, and leaves no container.
    const again = as(['run', '-d', '--name', 'web2', '-p', `127.0.0.1:${port}:8080`, 'box:v1', 'true']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use`));
    assert.ok(!names().some((n) => n.startsWith('web2')));
  });

  it("a bind mount reads and writes the user's files, which stay the user's", () => {
    const shared = userDir(user, join(work, 'shared'));
    writeFileSync(join(shared, 'from-host.txt'), 'written on the host\n');
    chownSync(join(shared, 'from-host.txt'), user.uid, user.gid);
    const r = as([
      'run',
      '--rm',
      '-v',
      `${shared}:/data`,
      'box:v1',
      'sh',
      '-c',
      'cat /data/from-host.txt; echo made in the guest > /data/from-guest.txt',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'written on the host\n');
    assert.equal(readFileSync(join(shared, 'from-guest.txt'), 'utf8'), 'made in the guest\n');
    // Written by root in the container, owned by the user on the host: nothing the user cannot delete.
    assert.equal(statSync(join(shared, 'from-guest.txt')).uid, user.uid);
    assert.match(
      ok(['run', '--rm', '-v', `${shared}:/data:ro`, 'box:v1', 'sh', '-c', 'echo x > /data/no.txt || echo refused']).stdout,
      /refused/,
    );
    assert.ok(!existsSync(join(shared, 'no.txt')));
  });

  it("a two-stage build runs its RUN steps in the machine; COPY --from takes the first stage's files", () => {
    const context = userDir(user, join(work, 'two-stage'));
    writeFileSync(
      join(context, 'Dockerfile'),
      [
        'FROM box:v1 AS first',
        'RUN mkdir -p /out && echo "made by RUN on $(uname -s)" > /out/made.txt',
        'RUN id -u >> /out/made.txt && mkdir /out/app && chown 1000:1000 /out/app && touch /out/app/owned',
        'FROM box:v1',
        'COPY --from=first /out/ /from-first/',
        'RUN cat /from-first/made.txt > /seen-by-run.txt',
        '',
      ].join('\n'),
    );
    chownSync(join(context, 'Dockerfile'), user.uid, user.gid);
    const built = as(['build', '-t', 'two-stage:v1', context]);
    assert.equal(built.code, 0, built.stderr);
    const r = ok([
      'run',
      '--rm',
      'two-stage:v1',
      'sh',
      '-c',
      'cat /seen-by-run.txt; stat -c "%u:%g %n" /from-first/made.txt /from-first/app /seen-by-run.txt',
    ]);
    // The steps ran as root in the guest, and the layers they made keep their owners.
    assert.equal(
      r.stdout,
      'made by RUN on Linux\n0\n0:0 /from-first/made.txt\n1000:1000 /from-first/app\n0:0 /seen-by-run.txt\n',
    );
  });

  it('RUN --mount of a cache, binds and a secret work in the machine; the context is left as it was; ssh is refused in one line', async () => {
    const context = userDir(user, join(work, 'mounts'));
    const files: Record<string, string> = {
      Dockerfile: [
        // The first stage as the two-stage build has it: cached on the host, not run again.
        'FROM box:v1 AS first',
        'RUN mkdir -p /out && echo "made by RUN on $(uname -s)" > /out/made.txt',
        'FROM box:v1',
        'RUN --mount=type=cache,target=/cache echo one >> /cache/log',
        'RUN --mount=type=cache,target=/cache --mount=type=bind,target=/ctx --mount=type=bind,from=first,source=/out,target=/t \\',
        '    --mount=type=secret,id=token \\',
        '    cat /cache/log > /seen && ls /ctx >> /seen && cat /ctx/a.txt /t/made.txt >> /seen \\',
        '    && stat -c "%a %u" /run/secrets/token >> /seen && test "$(cat /run/secrets/token)" = s3cret',
        'RUN --mount=type=bind,target=/ctx,rw echo scribbled > /ctx/a.txt && rm /ctx/b.txt && cat /ctx/a.txt > /rw-seen',
        '',
      ].join('\n'),
      '.dockerignore': 'ignored.txt\n',
      'a.txt': 'original\n',
      'b.txt': 'b\n',
      'ignored.txt': 'left out\n',
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(context, name), content);
      chownSync(join(context, name), user.uid, user.gid);
    }
    const secret = join(work, 'token');
    writeFileSync(secret, 's3cret');
    chownSync(secret, user.uid, user.gid);
    const built = as(['build', '--secret', `id=token,src=${secret}`, '-t', 'mounts:v1', context]);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(
      ok([
        'run',
        '--rm',
        'mounts:v1',
        'sh',
        '-c',
        'cat /seen /rw-seen; ls /cache /ctx /run/secrets 2>&1 | grep -c "No such file"',
      ]).stdout,
      [
        'one', // the cache kept what the step before wrote
        'Dockerfile',
        'a.txt',
        'b.txt', // .dockerignore's ignored.txt is not in the context
        'original',
        'made by RUN on Linux',
        '400 0', // the secret: 0400, root's
        'scribbled',
        '3', // the mount points are not in the image
        '',
      ].join('\n'),
    );
    for (const [name, content] of Object.entries(files)) assert.equal(readFileSync(join(context, name), 'utf8'), content);

    // An agent's socket is on the host, which the guest cannot connect to.
    const socket = join(work, 'agent.sock');
    const agent = createServer().listen(socket);
    await new Promise((resolve) => agent.once('listening', resolve));
    try {
      chownSync(socket, user.uid, user.gid);
      writeFileSync(join(context, 'Dockerfile'), 'FROM box:v1\nRUN --mount=type=ssh true\n');
      const refused = as(['build', '--ssh', `default=${socket}`, context]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /^error: RUN --mount=type=ssh is not available through the machine: .*$/m);
    } finally {
      agent.close();
    }
  });

  it('machine stop and start: every container record is right, and ports forward again', async () => {
    ok(['run', '--name', 'done', 'box:v1', 'true']);
    ok(['machine', 'stop']);
    assert.equal(status().state, 'stopped');
    assert.deepEqual(names(), [], 'a stopped machine lists nothing and is not started for it');
    assert.equal(status().state, 'stopped');
    ok(['machine', 'start']);
    assert.match(consoleLog(), /starting the agent from its snapshot/);
    assert.doesNotMatch(consoleLog(), /did not start/);
    assert.deepEqual(names().sort(), ['done exited', 'web exited']);
    ok(['start', 'web']);
    const port = Number(/127\.0\.0\.1:(\d+)->/.exec(ok(['ps']).stdout)?.[1]);
    await eventually(() => assert.match(curl(`http://127.0.0.1:${port}/passwd`).body, /^root:x:0:0/m), 30_000, 200);
  });

  it('after QEMU is killed, the next command starts it cleanly, from the agent’s code where its snapshot cannot be read, and nothing stored is lost', async () => {
    // A snapshot Node cannot read (cut short here, and on the disk before QEMU goes).
    ok([
      'machine',
      'shell',
      '--',
      'sh',
      '-c',
      'for f in /var/lib/stevedore/agent/*/agent-*.snapshot; do head -c 3000000 "$f" > /tmp/cut && cat /tmp/cut > "$f"; done; sync',
    ]);
    const { pid } = status();
    process.kill(pid!, 'SIGKILL');
    await eventually(() => assert.equal(status().state, 'stopped'));
    const r = as(['run', '--rm', 'box:v1', 'echo', 'back']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'back\n');
    assert.match(consoleLog(), /snapshot did not start .*: the agent starts from its code/);
    assert.deepEqual(names().sort(), ['done exited', 'web exited']);
    // It is made again, for the next boot.
    await eventually(() => assert.match(consoleLog(), /startup snapshot is made/), 120_000, 500);
  });

  it('machine shell runs a command in the guest itself: output apart, stdin passed on, its exit code', () => {
    const r = as(['machine', 'shell', '--', 'sh', '-c', 'id -u; cat /etc/stevedore/version; echo oops >&2; exit 5']);
    assert.equal(r.code, 5, r.stderr);
    // Root in the guest, outside any container: the guest's own files.
    assert.equal(r.stdout, `0\n${VERSION}\n`);
    assert.equal(r.stderr, 'oops\n');
    assert.equal(ok(['machine', 'shell', '-T', '--', 'cat'], 'through the guest\n').stdout, 'through the guest\n');
  });

  it("a guest clock that is off is set from the host's by the next command", async () => {
    const agent = readRunRecord(machinePaths(root))?.agent;
    assert.ok(agent, 'the running machine has an agent');
    // A set started by an earlier command (its clock was a little off after the last boot) would
    // put the clock right meanwhile: the test starts once none is under way.
    await eventually(async () => assert.equal((await syncGuestClock(agent, false)).setting, false), 10_000, 100);
    // An hour behind, as a guest that did not run for an hour would be.
    ok(['machine', 'shell', '-T', '--', 'date', '-u', '-s', `@${Math.floor(Date.now() / 1000) - 3600}`]);
    assert.ok((await syncGuestClock(agent, false)).skewMs < -3_500_000, 'the guest clock was set back');
    // The next command that reaches the machine sets it right: to the second a container shows…
    const before = Math.floor(Date.now() / 1000);
    const shown = Number(ok(['run', '--rm', 'box:v1', 'sh', '-c', 'date +%s']).stdout.trim());
    const after = Math.ceil(Date.now() / 1000);
    assert.ok(shown >= before && shown <= after, `the guest said ${shown}, the host ${before}..${after}`);
    // …and to well under 100 ms as the agent measures it.
    const { skewMs } = await syncGuestClock(agent, false);
    assert.ok(Math.abs(skewMs) < 100, `the guest's clock is ${skewMs} ms off`);
  });
});
