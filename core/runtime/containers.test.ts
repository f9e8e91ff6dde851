import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore, stevedoreAsync } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { eventually } from '../../testkit/eventually.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { processRunningWith } from '../../testkit/processes.js';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';
import { storeLayout } from '../store/layout.js';
import { withStoreLock } from '../store/lock.js';
import { containerPaths } from './containerRecord.js';

const work = tempDir();
const root = join(work, 'store');

interface Ps {
  id: string;
  name: string;
  state: string;
  exitCode: number | null;
  error: string | null;
  ports: { hostIp: string; hostPort: number; containerPort: number }[];
}
const ps = (): Ps[] => JSON.parse(stevedore(root, ['ps', '-a', '--json']).stdout) as Ps[];
const byName = (name: string) => ps().find((c) => c.name === name);
const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** Whether this process has `file` open. */
function openHere(file: string): boolean {
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  });
}

/** Waits until `probe` gives a value, and returns it. */
async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  let value: T | undefined | false;
  await eventually(() => {
    value = probe();
    assert.ok(value, `waiting for ${what}`);
  }, timeoutMs);
  return value as T;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A container that ends when the test says so, not on a timer: it waits for a file in a directory
 * bind-mounted at /sig. `args` go before the image; `command` is its command (`then` runs after).
 */
function endsOnSignal(name: string, then = '') {
  const dir = join(work, `${name}-signal`);
  mkdirSync(dir, { recursive: true });
  return {
    args: ['-v', `${dir}:/sig`],
    command: ['sh', '-c', `while [ ! -e /sig/go ]; do sleep 0.1; done${then}`],
    end: () => writeFileSync(join(dir, 'go'), ''),
  };
}

/** `ss`'s lines for the sockets listening on a TCP port, with the processes that hold them. */
function listeners(port: number): string {
  return spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }).stdout;
}

/** Whether this process may listen on 127.0.0.1:port now. */
function tryListen(port: number): Promise<'free' | string> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

describe('containers: run -d, ps, logs, stop, rm, ports, and hostile images', () => {
  before(async () => {
    await loadBoxImage(root, work, [
      { refName: 'procwd', layers: [await busyboxLayer(['sh', 'pwd'])], config: { Cmd: ['pwd'], WorkingDir: '/proc/self/fd/7' } },
      {
        refName: 'linkwd',
        layers: [
          await busyboxLayer(['sh', 'pwd']),
          await makeLayer([{ path: 'work', type: 'symlink', linkname: '/proc/self/fd/7' }]),
        ],
        config: { Cmd: ['pwd'], WorkingDir: '/work' },
      },
      { refName: 'stopsig', layers: [await busyboxLayer(['sh', 'sleep', 'echo'])], config: { StopSignal: 'SIGUSR1' } },
      {
        refName: 'linkvol',
        layers: [
          await busyboxLayer(['sh', 'cat', 'ls']),
          await makeLayer([{ path: 'mnt', type: 'symlink', linkname: `${work}/outside` }]),
        ],
      },
    ]);
  });

  after(() => {
    for (const c of ps()) stevedore(root, ['rm', '-f', c.id]);
  });

  it('runs detached: ps shows it Up, logs show its output, stop ends it within the grace period, rm removes its files', async () => {
    const id = ok([
      'run',
      '-d',
      '--name',
      'ticker',
      'box:v1',
      'sh',
      '-c',
      'trap "echo bye; exit 0" TERM; echo started; while true; do sleep 0.1; done',
    ]).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const listed = ok(['ps']);
    assert.match(listed, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/m);
    assert.match(
      listed,
      new RegExp(
        `^${id.slice(0, 12)}\\s+box:v1\\s+"sh -c 'trap "echo b…"\\s+(Less than a second|\\d+ seconds?) ago\\s+Up (Less than a second|\\d+ seconds?)\\s+ticker$`,
        'm',
      ),
    );
    await until('the log line', () => stevedore(root, ['logs', 'ticker']).stdout === 'started\n');
    ok(['stop', '-t', '5', 'ticker']);
    // Exit code 0 and its goodbye: it ended on its stop signal, not killed once the grace period ran out.
    assert.deepEqual([byName('ticker')?.state, byName('ticker')?.exitCode], ['exited', 0]);
    assert.equal(stevedore(root, ['logs', 'ticker']).stdout, 'started\nbye\n');
    assert.match(ok(['ps', '-a']), /Exited \(0\) (Less than a second|\d+ seconds?) ago\s+ticker$/m);
    assert.equal(ok(['ps']).trim().split('\n').length, 1, 'only the header: nothing running');
    ok(['rm', 'ticker']);
    assert.ok(!existsSync(join(root, 'containers', id)), 'the bundle and its upper directory are gone');
    assert.ok(!readFileSync('/proc/self/mounts', 'utf8').includes(id));
  });

  it('kills a container that ignores the stop signal once the grace period is over', async () => {
    ok([
      'run',
      '-d',
      '--name',
      'stubborn',
      'box:v1',
      'sh',
      '-c',
      'trap "echo ignored TERM" TERM; echo ready; while true; do sleep 0.1; done',
    ]);
    await until('the trap', () => stevedore(root, ['logs', 'stubborn']).stdout === 'ready\n');
    ok(['stop', '-t', '1', 'stubborn']);
    // It was asked first (and said no), then killed.
    assert.equal(stevedore(root, ['logs', 'stubborn']).stdout, 'ready\nignored TERM\n');
    assert.equal(byName('stubborn')?.exitCode, 137);
    ok(['rm', 'stubborn']);
  });

  it('stops with the image’s STOPSIGNAL', async () => {
    ok([
      'run',
      '-d',
      '--name',
      'usr1',
      'box:stopsig',
      'sh',
      '-c',
      'trap "echo got usr1; exit 0" USR1; echo ready; while true; do sleep 0.1; done',
    ]);
    await until('the trap', () => stevedore(root, ['logs', 'usr1']).stdout === 'ready\n');
    ok(['stop', '-t', '5', 'usr1']);
    assert.equal(stevedore(root, ['logs', 'usr1']).stdout, 'ready\ngot usr1\n');
    assert.equal(byName('usr1')?.exitCode, 0, 'ended on USR1, not killed after the grace period');
    ok(['rm', 'usr1']);
  });

  it('keeps every record right while no engine runs: an end, a vanished process, a restart', async () => {
    // Ends at once the first time; started again, it stays up (it finds the file its first run left).
    ok(['run', '-d', '--name', 'short', 'box:v1', 'sh', '-c', '[ -e /ran ] && exec sleep 600; echo -n > /ran; exit 7']);
    ok(['run', '-d', '--name', 'victim', 'box:v1', 'sleep', '600']);
    // No stevedore process runs while the first ends (the wait reads the bundle's exit file); conmon records it.
    const shortExit = join(root, 'containers', byName('short')!.id, 'exit');
    await until('the first end', () => existsSync(shortExit), 15_000);
    assert.deepEqual([byName('short')?.state, byName('short')?.exitCode], ['exited', 7]);
    // The victim's conmon and process are killed from outside: the next look says so.
    const { dir } = { dir: join(root, 'containers', byName('victim')!.id) };
    const conmonPid = Number(readFileSync(join(dir, 'conmon.pid'), 'utf8'));
    const pid = Number(readFileSync(join(dir, 'pidfile'), 'utf8'));
    process.kill(conmonPid, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    const victim = await until('the vanished container', () =>
      byName('victim')?.state === 'exited' ? byName('victim') : undefined,
    );
    assert.match(victim.error ?? '', /vanished/);
    // start again, then restart: still the same container, running.
    ok(['start', 'short']);
    assert.equal(byName('short')?.state, 'running');
    ok(['kill', 'short']);
    await until('the second end', () => byName('short')?.state === 'exited');
    assert.equal(byName('short')?.exitCode, 137);
    assert.equal(stevedore(root, ['logs', 'short']).stdout, '');
    ok(['restart', '-t', '1', 'victim']);
    assert.equal(byName('victim')?.state, 'running');
    ok(['rm', '-f', 'victim', 'short']);
    assert.equal(byName('victim'), undefined);
  });

  it('restart keeps a --rm container, as docker: the same one runs again, and stop then removes it', async () => {
    const id = ok(['run', '-d', '--rm', '--name', 'passing', '--network', 'none', 'box:v1', 'sleep', '600']).trim();
    ok(['restart', '-t', '1', 'passing']);
    assert.deepEqual([byName('passing')?.id, byName('passing')?.state], [id, 'running']);
    ok(['stop', '-t', '1', 'passing']);
    await until('its removal', () => byName('passing') === undefined);
  });

  it('wait tells a --rm container’s exit code though it is gone; start -a of a create --rm prints its output and exits with its code', async () => {
    // Long enough for wait's own start on a machine running two suites (1 s was not: wait found it gone already).
    const id = ok(['run', '-d', '--rm', '--network', 'none', 'box:v1', 'sh', '-c', 'sleep 5; exit 3']).trim();
    assert.equal(ok(['wait', id]), '3\n');
    await until('its removal', () => !ps().some((c) => c.id === id));
    ok(['create', '--rm', '--name', 'once', '--network', 'none', 'box:v1', 'sh', '-c', 'sleep 1; echo from once; exit 4']);
    const started = stevedore(root, ['start', '-a', 'once']);
    assert.deepEqual([started.code, started.stdout], [4, 'from once\n'], started.stderr);
    await until('its removal', () => byName('once') === undefined);
  });

  it('a follower of a --rm container’s log gets its last words though the container is gone before it reads', async () => {
    const go = join(work, 'last-words');
    mkdirSync(go, { recursive: true });
    const script = 'while [ ! -e /go/now ]; do sleep 0.1; done; echo last words; exit 6';
    const id = ok(['run', '-d', '--rm', '--network', 'none', '-v', `${go}:/go`, 'box:v1', 'sh', '-c', script]).trim();
    const engine = new Engine(root);
    const { dir, log } = containerPaths(root, id);
    const following = engine.runtime.logs(id, { after: 0, follow: true });
    // Once the follower waits on the log (it holds it open), or after a while if it does not.
    await until('the follower at the log', () => openHere(log), 10_000).catch(() => undefined);
    writeFileSync(join(go, 'now'), '');
    // This process does nothing until conmon's exit command has removed the container: the
    // follower wakes up to find the container gone, as a busy engine can. (1,200 looks 50 ms
    // apart: a bound for a hang only.)
    for (let looks = 0; existsSync(dir); looks++) {
      assert.ok(looks < 1200, 'the container was not removed within a minute');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
    const chunk = await following;
    assert.deepEqual([chunk.entries.map((e) => e.text), chunk.ended, chunk.exitCode], [['last words'], true, 6]);
  });

  it('logs --since and --until keep the lines of a window; -t prints docker’s UTC times', async () => {
    ok(['run', '-d', '--name', 'window', 'box:v1', 'sh', '-c', 'echo early; sleep 1; echo late']);
    await until('the end', () => byName('window')?.state === 'exited');
    const stamped = ok(['logs', '-t', 'window']);
    assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z early\n\S+Z late\n$/);
    const lateAt = stamped.split('\n')[1]!.split(' ')[0]!;
    assert.equal(ok(['logs', '--since', lateAt, 'window']), 'late\n');
    assert.equal(ok(['logs', '--until', lateAt, 'window']), 'early\n');
    assert.equal(ok(['logs', '--since', '1h', 'window']), 'early\nlate\n');
    assert.match(stevedore(root, ['logs', '--since', 'soon', 'window']).stderr, /^error: invalid value for "since"/);
    ok(['rm', 'window']);
  });

  it('streams logs with -f until the container ends, with --tail and --timestamps', async () => {
    ok(['run', '-d', '--name', 'counter', 'box:v1', 'sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; sleep 0.2; done']);
    const followed = await stevedoreAsync(root, ['logs', '-f', 'counter']);
    assert.equal(followed.stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    assert.equal(ok(['logs', '--tail', '2', 'counter']), 'line 4\nline 5\n');
    assert.match(ok(['logs', '-t', '--tail', '1', 'counter']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-Z].* line 5\n$/);
    ok(['rm', 'counter']);
  });

  it('runs a command in a running container with exec, as its user and environment', () => {
    ok(['run', '-d', '--name', 'host-of-exec', '-u', 'app', '-e', 'WHO=exec', 'box:v1', 'sleep', '600']);
    const r = stevedore(root, ['exec', 'host-of-exec', 'sh', '-c', 'id -u; echo $WHO; exit 5']);
    assert.equal(r.code, 5);
    assert.equal(r.stdout, '1000\nexec\n');
    assert.match(stevedore(root, ['exec', 'nosuch', 'true']).stderr, /^error: no such container: nosuch$/m);
    ok(['rm', '-f', 'host-of-exec']);
  });

  it('exec exits as docker: 127 for a missing command, 126 for one not executable, 125 for the engine’s refusals', () => {
    ok(['run', '-d', '--name', 'exec-codes', 'box:v1', 'sleep', '600']);
    for (const [args, code, stderr] of [
      [['exec', 'exec-codes', 'nope'], 127, 'error: exec failed: exec: "nope": executable file not found in $PATH\n'],
      [['exec', 'exec-codes', '/etc/passwd'], 126, 'error: exec failed: exec: "/etc/passwd": permission denied\n'],
      [['exec', 'exec-codes', 'sh', '-c', 'echo own >&2; exit 4'], 4, 'own\n'],
      [['exec', 'no-such-container', 'true'], 125, 'error: no such container: no-such-container\n'],
      [['exec', '--bogus', 'exec-codes', 'true'], 125, "error: unknown option '--bogus'\n"],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.deepEqual([r.code, r.stderr], [code, stderr], args.join(' '));
    }
    ok(['rm', '-f', 'exec-codes']);
  });

  it('publishes a port: busybox httpd answers curl from the host, and a taken port is refused', async () => {
    const port = await freePort();
    const site = join(work, 'site');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'index.html'), 'hello over the bridge\n');
    ok([
      'run',
      '-d',
      '--name',
      'web',
      '-p',
      `127.0.0.1:${port}:80`,
      '-v',
      `${site}:/www:ro`,
      'box:v1',
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    ]);
    assert.match(ok(['ps']), new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp\\s+web$`, 'm'));
    const body = await until('httpd to answer', () => {
      const r = spawnSync('curl', ['-sf', '--max-time', '2', `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
      return r.status === 0 ? r.stdout : undefined;
    });
    assert.equal(body, 'hello over the bridge\n');
    const taken = stevedore(root, ['run', '-d', '--name', 'web2', '-p', `127.0.0.1:${port}:80`, 'box:v1', 'httpd', '-f']);
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, new RegExp(`^error: port 127\\.0\\.0\\.1:${port} is already in use$`, 'm'));
    assert.equal(byName('web2'), undefined, 'the container that could not start is not kept');
    ok(['rm', '-f', 'web']);
    const gone = spawnSync('curl', ['-sf', '--max-time', '1', `http://127.0.0.1:${port}/`]);
    assert.notEqual(gone.status, 0, 'the port is closed once the container is removed');
  });

  it('keeps a published port taken while the container runs, so the kernel hands it to no other program', async () => {
    ok(['run', '-d', '--name', 'holder', '-p', '127.0.0.1::80', 'box:v1', 'sleep', '600']);
    const port = byName('holder')?.ports[0]?.hostPort;
    assert.ok(port, 'the kernel chose a port');
    // The command that published it has exited: something must still hold it.
    assert.equal(await tryListen(port), 'EADDRINUSE', 'a program asking for the port is refused it');
    ok(['rm', '-f', 'holder']);
    assert.equal(await tryListen(port), 'free', 'the port is given back with the container');
  });

  it('keeps a foreground run’s published port taken until the rule forwarding it is gone', async () => {
    // The container ends when the test says so; the test then holds the containers lock, so the
    // run has seen the end (its exit file) but cannot settle it (remove the DNAT rule) yet. A port
    // let go in that window would go to the next listen(0) while the rule still forwards it to
    // the dead container: a web UI started then refuses its own page.
    const signal = endsOnSignal('fg');
    const port = await freePort();
    const running = stevedoreAsync(root, [
      'run',
      '--rm',
      '--name',
      'fg-held',
      '-p',
      `127.0.0.1:${port}:80`,
      ...signal.args,
      'box:v1',
      ...signal.command,
    ]);
    const id = await until('the container runs', () => byName('fg-held')?.state === 'running' && byName('fg-held')?.id);
    await withStoreLock(
      storeLayout(root),
      async () => {
        signal.end();
        await until('the run saw the end', () => existsSync(containerPaths(root, id).exitFile));
        assert.equal(await tryListen(port), 'EADDRINUSE', 'the port stays taken while its rule is in place');
      },
      'containers',
    );
    const ended = await running;
    assert.equal(ended.code, 0, ended.stderr);
    assert.equal(await tryListen(port), 'free', 'the port is given back once the run settled');
    assert.equal(byName('fg-held'), undefined);
  });

  it('keeps a detached container’s published port taken until its exit command removed the rule', async () => {
    // conmon lets go of what it inherited when the container ends; its exit command then waits
    // for the containers lock (held here) before it removes the DNAT rule.
    const signal = endsOnSignal('bg');
    const started = ok(['run', '-d', '--rm', '-p', '127.0.0.1::80', ...signal.args, 'box:v1', ...signal.command]);
    const id = started.trim();
    const port = ps().find((c) => c.id === id)?.ports[0]?.hostPort;
    assert.ok(port, 'the kernel chose a port');
    await withStoreLock(
      storeLayout(root),
      async () => {
        signal.end();
        await until('the exit command is waiting', () => processRunningWith('container-cleanup', id));
        // conmon, which is still there waiting for its exit command, has let go of what it inherited.
        await until('conmon holds no listening socket', () => !listeners(port).includes('"conmon"'));
        assert.equal(await tryListen(port), 'EADDRINUSE', 'the port stays taken while its rule is in place');
      },
      'containers',
    );
    await until('the container is removed', () => !processRunningWith('container-cleanup', id) && !ps().some((c) => c.id === id));
    assert.equal(await tryListen(port), 'free', 'the port is given back once the exit command settled');
  });

  it('ps filters by status, name, ancestor and exit code and prints --format as docker', async () => {
    ok(['run', '-d', '--name', 'filter-up', 'box:v1', 'sleep', '600']);
    ok(['run', '-d', '--name', 'filter-three', 'box:v1', 'sh', '-c', 'exit 3']);
    await until('the exit', () => byName('filter-three')?.state === 'exited');
    const names = (args: string[]) =>
      ok(['ps', ...args, '--format', '{{.Names}}'])
        .trim()
        .split('\n')
        .filter(Boolean)
        .sort();
    // A status other than running lists stopped containers without -a, as docker does.
    assert.deepEqual(names(['-f', 'status=exited', '-f', 'name=filter-']), ['filter-three']);
    assert.deepEqual(names(['-f', 'exited=3']), ['filter-three']);
    assert.deepEqual(names(['-f', 'name=^filter-']), ['filter-up']);
    assert.deepEqual(names(['-a', '-f', 'name=filter-', '-f', 'ancestor=box']), ['filter-three', 'filter-up']);
    assert.deepEqual(names(['-a', '-f', 'ancestor=other']), []);
    const table = ok(['ps', '-a', '-f', 'name=filter-three', '--format', 'table {{.Names}}\\t{{.State}}\\t{{.Status}}']);
    assert.match(table, /^NAMES\s+STATE\s+STATUS\nfilter-three\s+exited\s+Exited \(3\) .+ ago\n$/);
    const refused = stevedore(root, ['ps', '-f', 'status=sleeping']);
    assert.match(refused.stderr, /^error: invalid filter "status=sleeping": the states are created, restarting, running/);
    ok(['rm', '-f', 'filter-up', 'filter-three']);
  });

  it('wait prints a container’s exit code once it ends; port says where its ports are published', async () => {
    const signal = endsOnSignal('wait', '; exit 6');
    ok(['run', '-d', '--name', 'waited', '-p', '127.0.0.1::80', ...signal.args, 'box:v1', ...signal.command]);
    const port = byName('waited')?.ports[0]?.hostPort;
    assert.equal(ok(['port', 'waited']), `80/tcp -> 127.0.0.1:${port}\n`);
    assert.equal(ok(['port', 'waited', '80']), `127.0.0.1:${port}\n`);
    assert.match(stevedore(root, ['port', 'waited', '81/udp']).stderr, /^error: no public port '81\/udp' published for waited$/m);
    const waiting = stevedoreAsync(root, ['wait', 'waited']);
    assert.equal(byName('waited')?.state, 'running', 'wait does not end it');
    signal.end();
    const waited = await waiting;
    assert.deepEqual([waited.code, waited.stdout], [0, '6\n']);
    assert.equal(byName('waited')?.state, 'exited', 'it returned once the container had ended');
    ok(['rm', 'waited']);
  });

  it('restarts by its policy: on-failure:2 twice then left; always until the user stops it; never with --rm', async () => {
    ok(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'box:v1', 'sh', '-c', 'echo run; exit 3']);
    const flaky = byName('flaky')!.id;
    await until(
      'the third end',
      () => stevedore(root, ['logs', 'flaky']).stdout === 'run\nrun\nrun\n' && byName('flaky')?.state === 'exited',
    );
    // Its last end decided (conmon's exit command gone), it is left as it is.
    await until('the last decision', () => !processRunningWith('container-cleanup', flaky), 15_000);
    const flakyDetail = JSON.parse(ok(['inspect', '--json', 'flaky'])) as {
      restartCount: number;
      exitCode: number;
      state: string;
    };
    assert.deepEqual([flakyDetail.state, flakyDetail.exitCode, flakyDetail.restartCount], ['exited', 3, 2]);
    assert.equal(stevedore(root, ['logs', 'flaky']).stdout, 'run\nrun\nrun\n');

    ok(['run', '-d', '--name', 'steady', '--restart', 'always', 'box:v1', 'sh', '-c', 'echo up; sleep 600']);
    const steady = byName('steady')!.id;
    ok(['stop', '-t', '1', 'steady']);
    await until(
      'the stop decided',
      () => byName('steady')?.state === 'exited' && !processRunningWith('container-cleanup', steady),
      15_000,
    );
    assert.equal(byName('steady')?.state, 'exited', 'stopped by the user: always lets it be');
    assert.equal(stevedore(root, ['logs', 'steady']).stdout, 'up\n');

    const both = stevedore(root, ['run', '--rm', '--restart', 'always', 'box:v1', 'true']);
    assert.deepEqual([both.code, both.stderr], [125, 'error: conflicting options: --restart and --rm\n']);
    const bad = stevedore(root, ['run', '-d', '--restart', 'sometimes', 'box:v1', 'true']);
    assert.match(bad.stderr, /^error: invalid restart policy "sometimes"/);
    ok(['rm', 'flaky', 'steady']);
  });

  it('shows a container with inspect, keeps its image from rmi, and tells a watching engine what changed', async () => {
    const engine = new Engine(root);
    const seen: string[] = [];
    engine.on('containers.changed', ({ id }) => seen.push(id));
    const stopWatching = engine.watchStore();
    try {
      const id = ok(['run', '-d', '--name', 'keeper', 'box:v1', 'sleep', '600']).trim();
      const detail = JSON.parse(ok(['inspect', '--json', 'keeper'])) as {
        id: string;
        state: string;
        args: string[];
        pid: number;
        bundle: string;
      };
      assert.deepEqual([detail.id, detail.state, detail.args], [id, 'running', ['sleep', '600']]);
      assert.ok(detail.pid > 0 && existsSync(join(detail.bundle, 'config.json')));
      const rmi = stevedore(root, ['rmi', 'box:v1']);
      assert.notEqual(rmi.code, 0);
      assert.match(rmi.stderr, /^error: image box:v1 is used by container keeper: remove it first$/m);
      await until('an event for the new container', () => seen.includes(id));
      seen.length = 0;
      ok(['stop', '-t', '0', 'keeper']);
      await until('an event for its end', () => seen.includes(id), 5000);
      assert.equal((await engine.runtime.list(true)).find((c) => c.id === id)?.state, 'exited');
      ok(['rm', 'keeper']);
    } finally {
      stopWatching();
    }
  });

  it('makes a container only from the image ID a caller expects its image name to have (the machine runtime’s check)', async () => {
    const engine = new Engine(root);
    const before = ps().length;
    const other = `sha256:${'0'.repeat(64)}`;
    await assert.rejects(engine.createContainer({ image: 'box:v1', name: 'expects-other', expectedImageId: other }), (err) => {
      assert.equal((err as { code?: string }).code, 'IMAGE_NOT_FOUND');
      assert.equal((err as Error).message, `box:v1 is not image ${other} here`);
      return true;
    });
    assert.equal(ps().length, before, 'nothing was made');
    const expectedImageId = engine.resolveImage('box:v1').configDigest;
    const made = await engine.createContainer({ image: 'box:v1', name: 'expects-box', expectedImageId });
    assert.equal(byName('expects-box')?.id, made.id);
    ok(['rm', 'expects-box']);
  });

  it('refuses a WORKDIR in /proc/self/fd, directly or through a link (CVE-2024-21626)', () => {
    for (const image of ['box:procwd', 'box:linkwd']) {
      const r = stevedore(root, ['run', '--rm', image]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /^error: refusing the working directory .* inside a kernel filesystem$/m, image);
    }
  });

  it('keeps a volume whose target is a link out of the rootfs inside the rootfs', () => {
    const outside = join(work, 'outside');
    mkdirSync(outside, { recursive: true });
    const data = join(work, 'vol');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'marker'), 'volume\n');
    const r = stevedore(root, ['run', '--rm', '-v', `${data}:/mnt`, 'box:linkvol', 'cat', `${outside}/marker`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'volume\n', 'the volume is mounted where the link points, inside the container');
    assert.deepEqual(readdirSync(outside), [], 'nothing was created or mounted at the host path the link names');
  });
});
