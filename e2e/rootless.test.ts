import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readSubordinateRange } from '../core/runtime/rootless/subordinateIds.js';
import { cliPath, stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { startDaemon } from '../testkit/daemon.js';
import { engineTrace } from '../testkit/engineTrace.js';
import { eventually } from '../testkit/eventually.js';
import { busyboxLayer, makeLayer } from '../testkit/layers.js';
import {
  ensureAccount,
  ensureTestUser,
  type NormalUser,
  removeUserTempDir,
  rootlessSkipReason,
  stevedoreAs,
  stevedoreAsAsync,
  userDir,
  userEnv,
  userStoreWithBox,
  userTempDir,
} from '../testkit/normalUser.js';
import { processesWhere } from '../testkit/processes.js';
import { snapshotTree } from '../testkit/treeSnapshot.js';

// Containers for a desktop user on Linux without a machine: the suite's normal account runs the
// real CLI, which re-runs itself in the store's user namespace (its subordinate range mapped) and
// drives runc rootless there. Skipped only where the suite cannot make the user or the kernel or
// the system cannot give it a user namespace, saying which.
const skip = rootlessSkipReason(['pasta']);
if (skip) console.log(`# rootless runtime test skipped: ${skip}`);

/** Every path under `dir` whose owner is not `uid` (lstat: links are not followed). */
function notOwnedBy(dir: string, uid: number): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (lstatSync(path).uid !== uid) out.push(path);
    if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

const HTTPD = 'mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 80 -h /www';
/** The gateway the rootless network gives containers (rootlessNetwork.ts). */
const GATEWAY = '10.0.2.2';

/** What curl gets from `url`, or null when nothing answers. */
function curl(url: string): string | null {
  const r = spawnSync('curl', ['-s', '-m', '5', url], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

/** A TCP port nothing listens on now (the kernel's choice). */
function freeHostPort(): Promise<number> {
  const server = createNetServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

/** An IPv4 address of this host other than loopback, if it has one. */
function hostAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/** pasta processes serving a network namespace of the store `root`. */
function pastaProcesses(root: string): number[] {
  return processesWhere(
    (args) => /pasta|passt/.test(args[0] ?? '') && args.some((a) => a.startsWith(join(root, 'run', 'netns'))),
  );
}

/** The network namespace files left in the store. */
function netnsFiles(root: string): string[] {
  const dir = join(root, 'run', 'netns');
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith('.lock')) : [];
}

describe('rootless containers, as a normal user', { skip: skip || false, timeout: 300_000 }, () => {
  let user: NormalUser;
  let work: string;
  let root: string;
  let range: { start: number; count: number };
  /** The namespace's holder: a process the CLI started for the store, ended by the suite. */
  let holder = 0;
  // The host's choice: no STEVEDORE_RUNTIME (the test user's environment otherwise asks for the machine).
  const env = { STEVEDORE_RUNTIME: '' };
  const as = (args: string[]) => stevedoreAs(user, root, args, { env });
  const ok = (args: string[]) => {
    const r = as(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const holderPid = () => (JSON.parse(readFileSync(join(root, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number }).pid;

  before(async () => {
    // As on stock Debian, /dev/net/tun and /dev/fuse are the user's to open (ensureTestUser).
    user = ensureTestUser();
    const subuid = readSubordinateRange('/etc/subuid', { name: user.name, id: user.uid });
    assert.ok(subuid, 'the test user has a subordinate uid range');
    range = subuid;
    work = userTempDir(user, 'stevedore-rootless-');
    chmodSync(work, 0o755);
    // box:v1, and an image whose files belong to several users, made by root and handed over as an archive.
    const staging = join(work, 'staging');
    await loadBoxImage(staging, join(work, 'box-work'), [
      {
        refName: 'owners',
        layers: [
          await busyboxLayer(['sh', 'ls', 'stat', 'touch', 'chown', 'id']),
          await makeLayer([
            { path: 'home/', type: 'directory' },
            { path: 'home/app/', type: 'directory', uid: 1000, gid: 1000 },
            { path: 'home/app/notes', content: 'mine\n', uid: 1000, gid: 1000 },
            { path: 'srv/', type: 'directory' },
            { path: 'srv/data', content: 'root’s\n', uid: 0, gid: 0 },
          ]),
        ],
        config: { Cmd: ['sh'] },
      },
      {
        // The network tests' tools; `timeout`, as busybox 1.35's `wget -T` crashes.
        refName: 'net',
        layers: [await busyboxLayer(['sh', 'echo', 'mkdir', 'wget', 'httpd', 'timeout', 'ls'])],
        config: { Cmd: ['sh'] },
      },
      {
        // Links that aim at the user's own files on the host: root in the container is the user there.
        refName: 'links',
        layers: [
          await busyboxLayer(['sh', 'echo', 'cat', 'ls', 'mkdir', 'rm']),
          await makeLayer([
            { path: 'home', type: 'symlink', linkname: '/../../../home' },
            { path: 'escape', type: 'symlink', linkname: '../../../../../../tmp' },
          ]),
        ],
        config: { Cmd: ['sh'] },
      },
    ]);
    const archive = join(work, 'images.tar');
    const saved = stevedore(staging, ['save', 'box:v1', 'box:owners', 'box:links', 'box:net', '-o', archive]);
    assert.equal(saved.code, 0, saved.stderr);
    chmodSync(archive, 0o644);
    root = userDir(user, join(work, 'store'));
    ok(['load', '-i', archive]);
    holder = holderPid();
  });

  after(() => {
    try {
      if (holder) process.kill(holder, 'SIGKILL');
    } catch {
      // already gone
    }
    assert.deepEqual(removeUserTempDir(work), []);
  });

  it('`info` says rootless and why; the namespace maps the user to root and its range after', () => {
    const info = JSON.parse(ok(['info', '--json']).stdout) as { runtime: string; runtimeReason: string };
    assert.equal(info.runtime, 'rootless');
    assert.match(info.runtimeReason, /native runc needs root; user namespaces work \(.*65536 ids\)/);
    const map = readFileSync(`/proc/${holder}/uid_map`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).join(' '));
    assert.deepEqual(map, [`0 ${user.uid} 1`, `1 ${range.start} ${range.count}`]);
  });

  it('a command leaves an engine inside the namespace that the next ones go through; STEVEDORE_NO_DAEMON=1 neither uses nor leaves one', async () => {
    // `load` (before) left it; it may still be starting.
    const line = () => /^Engine: +(.*)$/m.exec(ok(['info']).stdout)?.[1] ?? '';
    await eventually(() =>
      assert.match(line(), /^pid \d+, serving .*\/engine\.sock; started on demand, it ends after 300 s unused$/),
    );
    const pid = Number(/^pid (\d+)/.exec(line())?.[1]);
    assert.equal(readlinkSync(`/proc/${pid}/ns/user`), readlinkSync(`/proc/${holderPid()}/ns/user`), 'in the store’s namespace');
    assert.equal(statSync(`/proc/${pid}`).uid, user.uid, 'the user’s own process');
    const alone = stevedoreAs(user, root, ['info'], { env: { ...env, STEVEDORE_NO_DAEMON: '1' } });
    assert.match(alone.stdout, /^Engine: +this command's own \(pid \d+; no engine serves the store\)$/m);
  });

  it('run --rm --network none: output, stderr and exit code; -e, -w and -u inside', () => {
    const r = as(['run', '--rm', '--network', 'none', 'box:v1', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    const env = ok([
      'run',
      '--rm',
      '--network',
      'none',
      '-e',
      'A=b',
      '-w',
      '/x',
      '-u',
      'app',
      'box:v1',
      'sh',
      '-c',
      'id; pwd; echo $A',
    ]);
    assert.equal(env.stdout, 'uid=1000(app) gid=1000(app) groups=50(staff),1000(app)\n/x\nb\n');
    assert.equal(ok(['ps', '-a', '-q']).stdout.trim(), '', '--rm left nothing');
  });

  it("run with output alone goes to the user's running engine without entering the namespace first; -it does not", async () => {
    const daemon = await startDaemon(root, userEnv(user, env), user);
    const trace = engineTrace(work, user);
    /** The CLI as the user types it, with which engine answered it: the outermost process's last word. */
    const traced = (args: string[]) => {
      const t = trace.run();
      const r = spawnSync(process.execPath, [...t.nodeArgs, cliPath, '--root', root, ...args], {
        encoding: 'utf8',
        uid: user.uid,
        gid: user.gid,
        cwd: root,
        env: userEnv(user, { ...env, ...t.env }),
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr, path: t.path() };
    };
    try {
      // A CLI that entered the namespace first only waits there for its copy inside, and says
      // 'in-process' as it ends: 'engine' is the answer of the process the user started.
      const ran = traced([...'run --rm --network none -e A=b box:v1 sh -c'.split(' '), 'echo $A; echo err >&2; exit 3']);
      assert.deepEqual(ran, { code: 3, stdout: 'b\n', stderr: 'err\n', path: 'engine' });
      const terminal = traced(['run', '--rm', '-i', '--network', 'none', 'box:v1', 'true']);
      assert.deepEqual([terminal.code, terminal.path], [0, 'in-process'], terminal.stderr);
      assert.equal(ok(['ps', '-a', '-q']).stdout.trim(), '', '--rm left nothing');
    } finally {
      await daemon.stop();
      // Its engine ends inside the namespace a moment after the command that started it.
      await eventually(() => assert.equal(existsSync(daemon.socketPath), false, 'the engine socket is gone'));
    }
  });

  it('-d, ps, logs, exec with its exit code, stop, start and rm', async () => {
    const script = 'echo started; trap "echo bye; exit 0" TERM; while true; do sleep 1; done';
    const id = ok(['run', '-d', '--name', 'svc', '--network', 'none', 'box:v1', 'sh', '-c', script]).stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(ok(['ps']).stdout, /svc/);
    await eventually(() => assert.equal(ok(['logs', 'svc']).stdout, 'started\n'));
    const exec = as(['exec', 'svc', 'sh', '-c', 'id -u; exit 5']);
    assert.equal(exec.code, 5, exec.stderr);
    assert.equal(exec.stdout, '0\n');
    ok(['stop', 'svc']);
    assert.equal(ok(['logs', 'svc']).stdout, 'started\nbye\n');
    assert.match(ok(['ps', '-a']).stdout, /Exited \(0\)/);
    ok(['start', 'svc']);
    assert.match(ok(['ps']).stdout, /svc/);
    ok(['rm', '-f', 'svc']);
    assert.equal(ok(['ps', '-a', '-q']).stdout.trim(), '');
  });

  it("-v: a bind mount read and written, what the container writes is the user's on the host", () => {
    const shared = userDir(user, join(work, 'shared'));
    writeFileSync(join(shared, 'in'), 'from the host\n');
    chmodSync(join(shared, 'in'), 0o644);
    const r = ok([
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${shared}:/v`,
      'box:v1',
      'sh',
      '-c',
      'cat /v/in; echo back > /v/out',
    ]);
    assert.equal(r.stdout, 'from the host\n');
    assert.equal(readFileSync(join(shared, 'out'), 'utf8'), 'back\n');
    assert.equal(statSync(join(shared, 'out')).uid, user.uid);
    const ro = as(['run', '--rm', '--network', 'none', '-v', `${shared}:/v:ro`, 'box:v1', 'sh', '-c', 'echo x > /v/out2']);
    assert.notEqual(ro.code, 0);
    assert.equal(existsSync(join(shared, 'out2')), false);
  });

  it('STEVEDORE_ROOTFS=fuse-overlayfs (the fallback where the kernel refuses overlayfs in a user namespace): the container runs on it, and rm leaves no mount', async () => {
    const fuse = { env: { ...env, STEVEDORE_ROOTFS: 'fuse-overlayfs' } };
    const r = stevedoreAs(
      user,
      root,
      [
        'run',
        '--name',
        'on-fuse',
        '--network',
        'none',
        'box:v1',
        'sh',
        '-c',
        'grep " / " /proc/mounts; echo changed > /etc/motd',
      ],
      fuse,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^fuse-overlayfs \/ fuse\.fuse-overlayfs /m);
    const upper = join(root, 'containers', ok(['inspect', '-f', '{{.Id}}', 'on-fuse']).stdout.trim(), 'upper');
    assert.equal(readFileSync(join(upper, 'etc', 'motd'), 'utf8'), 'changed\n', "the container's writes are in its own layer");
    ok(['rm', 'on-fuse']);
    // The mount lived in the store's namespace (the holder's), and its fuse-overlayfs with it.
    assert.doesNotMatch(readFileSync(`/proc/${holderPid()}/mounts`, 'utf8'), /fuse-overlayfs/);
    // fuse-overlayfs leaves once its mount is gone, a moment after the unmount.
    await eventually(() =>
      assert.equal(spawnSync('pgrep', ['-u', String(user.uid), 'fuse-overlayfs']).status, 1, 'no fuse-overlayfs is left'),
    );
  });

  it("--network host: the container reaches a server on the host's loopback", async () => {
    const server = createServer((_req, res) => res.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const r = await stevedoreAsAsync(
        user,
        root,
        ['run', '--rm', '--network', 'host', 'box:v1', 'wget', '-q', '-O', '-', `http://127.0.0.1:${port}/`],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'hello from the host\n');
    } finally {
      server.close();
    }
  });

  it("the layers' owners are shifted into the user's range: 1000 inside is start+999 on the host", () => {
    const r = ok(['run', '--rm', '--network', 'none', 'box:owners', 'sh', '-c', 'stat -c "%u %g %n" /home/app/notes /srv/data']);
    assert.equal(r.stdout, '1000 1000 /home/app/notes\n0 0 /srv/data\n');
    const snapshots = join(root, 'snapshots');
    const notes = readdirSync(snapshots)
      .map((chain) => join(snapshots, chain, 'home', 'app', 'notes'))
      .find((path) => existsSync(path));
    assert.ok(notes, 'the image is unpacked in the store');
    assert.equal(statSync(notes).uid, range.start + 999);
    assert.equal(statSync(join(notes, '..', '..', '..', 'srv', 'data')).uid, user.uid);
    // chown inside a container works within the range too.
    const chown = ok([
      'run',
      '--rm',
      '--network',
      'none',
      'box:owners',
      'sh',
      '-c',
      'touch /t; chown 123:45 /t; stat -c "%u %g" /t',
    ]);
    assert.equal(chown.stdout, '123 45\n');
  });

  it('build: a RUN step chowns a file, and the image keeps that owner; the step is on the default network (pasta)', () => {
    const context = userDir(user, join(work, 'context'));
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM box:v1\nRUN echo made > /made && chown 1000:50 /made && cat /proc/net/dev > /ifaces\n',
    );
    chmodSync(join(context, 'Dockerfile'), 0o644);
    const built = ok(['build', '--progress', 'plain', '-t', 'built:v1', context]);
    assert.doesNotMatch(built.stderr + built.stdout, /without a network/);
    const r = ok(['run', '--rm', '--network', 'none', 'built:v1', 'sh', '-c', 'ls -ln /made; cat /made']);
    assert.match(r.stdout, /^-rw-r--r-- +1 1000 +50 .* \/made\nmade\n$/);
    assert.match(
      ok(['run', '--rm', '--network', 'none', 'built:v1', 'cat', '/ifaces']).stdout,
      /^\s*eth0:/m,
      'the step had an interface',
    );
  });

  it("a container does not reach the user's files it was not given, through links or a volume's target", () => {
    const shared = userDir(user, join(work, 'given'));
    // The user's home, less the caches other test files running as this user write meanwhile (the CLI's code cache).
    const home = () => Object.entries(snapshotTree(user.home)).filter(([path]) => !path.startsWith('.cache/'));
    const before = { home: home(), work: snapshotTree(work) };
    const script = [
      `echo pwned > /home/${user.name}/pwned`,
      `mkdir -p /escape/${work.slice('/tmp/'.length)}/owned`,
      `echo pwned > /escape/${work.slice('/tmp/'.length)}/pwned`,
      'echo given > /v/into-given',
      'true',
    ].join('; ');
    ok([
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${shared}:/escape/target`,
      'box:links',
      'sh',
      '-c',
      script.replace('/v/', '/escape/target/'),
    ]);
    assert.deepEqual(home(), before.home, "the user's home did not change");
    assert.equal(existsSync(join(user.home, 'pwned')), false);
    const after = snapshotTree(work);
    assert.equal(readFileSync(join(shared, 'into-given'), 'utf8'), 'given\n', 'the mount it was given is written');
    const moved = Object.keys(after).filter(
      (path) =>
        !path.startsWith('store') &&
        !path.startsWith('given') &&
        JSON.stringify(after[path]) !== JSON.stringify(before.work[path]),
    );
    assert.deepEqual(moved, [], 'nothing else under the work directory moved');
  });

  it("-p 127.0.0.1:H:C on the default network (pasta): the host's curl is answered; rm leaves no pasta and no netns file", async () => {
    const port = await freeHostPort();
    ok(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, 'box:v1', 'sh', '-c', HTTPD]);
    await eventually(() => assert.equal(curl(`http://127.0.0.1:${port}/`), 'hello-from-httpd\n'), 30_000);
    assert.match(ok(['port', 'web']).stdout, new RegExp(`80/tcp -> 127\\.0\\.0\\.1:${port}`));
    assert.ok(pastaProcesses(root).length > 0, 'pasta runs for the container');
    ok(['rm', '-f', 'web']);
    assert.deepEqual(pastaProcesses(root), [], 'no pasta is left');
    assert.deepEqual(netnsFiles(root), [], 'no network namespace file is left');
    await eventually(() => assert.equal(curl(`http://127.0.0.1:${port}/`), null), 10_000);
  });

  it('a published container stopped and started is answered again; one that ends by itself gives back its pasta and netns file', async () => {
    const port = await freeHostPort();
    ok(['run', '-d', '--name', 'again', '-p', `127.0.0.1:${port}:80`, 'box:v1', 'sh', '-c', HTTPD]);
    await eventually(() => assert.equal(curl(`http://127.0.0.1:${port}/`), 'hello-from-httpd\n'), 30_000);
    ok(['stop', 'again']);
    assert.deepEqual(pastaProcesses(root), [], 'stop ends pasta');
    ok(['start', 'again']);
    await eventually(() => assert.equal(curl(`http://127.0.0.1:${port}/`), 'hello-from-httpd\n'), 30_000);
    ok(['rm', '-f', 'again']);
    // Ends on its own: settled by conmon's exit command or, when that ran before `run` had recorded
    // the start (containers.ts, under load), by the next command that looks (here ps).
    const brief = ok([
      'run',
      '-d',
      '--name',
      'brief',
      '-p',
      `127.0.0.1:${port}:80`,
      'box:v1',
      'sh',
      '-c',
      'exit 0',
    ]).stdout.trim();
    await eventually(() => {
      assert.match(ok(['ps', '-a']).stdout, /Exited \(0\)/);
      assert.deepEqual([pastaProcesses(root), netnsFiles(root)], [[], []], `brief is ${brief}`);
    }, 30_000);
    ok(['rm', 'brief']);
  });

  it("the default network reaches the host's other addresses, not its loopback (as docker's bridge)", async () => {
    const open = (host: string) => {
      const server = createServer((_req, res) => res.end(`hello on ${host}\n`));
      return new Promise<ReturnType<typeof createServer>>((resolve) => server.listen(0, host, () => resolve(server)));
    };
    const loopback = await open('127.0.0.1');
    const loopbackPort = (loopback.address() as AddressInfo).port;
    const outside = hostAddress();
    const reachable = outside ? await open(outside) : null;
    try {
      // Both through the gateway pasta sets up and the container's own loopback: the host's 127.0.0.1 is not the container's.
      const tries = [`http://127.0.0.1:${loopbackPort}/`, `http://${GATEWAY}:${loopbackPort}/`]
        .map((url) => `timeout 5 wget -q -O - ${url} || echo refused`)
        .join('; ');
      const r = await stevedoreAsAsync(user, root, ['run', '--rm', 'box:net', 'sh', '-c', tries], env);
      assert.equal(r.code, 0, r.stderr);
      // Whatever else answers (this machine's outside network may answer every address), not the host's loopback server.
      assert.doesNotMatch(r.stdout, /hello on/);
      assert.match(r.stdout, /^refused\n/, "the container's own 127.0.0.1 is not the host's");
      if (!reachable || !outside) {
        console.log('# skipped: the host has no address but loopback, so there is nothing outside to reach');
        return;
      }
      const port = (reachable.address() as AddressInfo).port;
      const out = await stevedoreAsAsync(
        user,
        root,
        ['run', '--rm', 'box:net', 'wget', '-q', '-O', '-', `http://${outside}:${port}/`],
        env,
      );
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, `hello on ${outside}\n`);
    } finally {
      loopback.close();
      reachable?.close();
    }
  });

  it("two containers' published ports do not clash: a taken port is refused in one line, another is answered", async () => {
    const [first, second] = [await freeHostPort(), await freeHostPort()];
    ok(['run', '-d', '--name', 'one', '-p', `127.0.0.1:${first}:80`, 'box:v1', 'sh', '-c', HTTPD]);
    try {
      const clash = as(['run', '-d', '--name', 'two', '-p', `127.0.0.1:${first}:80`, 'box:v1', 'sh', '-c', HTTPD]);
      assert.equal(clash.code, 125, clash.stderr);
      assert.equal(clash.stderr, `error: port 127.0.0.1:${first} is already in use\n`);
      ok(['run', '-d', '--name', 'three', '-p', `127.0.0.1:${second}:80`, 'box:v1', 'sh', '-c', HTTPD]);
      await eventually(() => assert.equal(curl(`http://127.0.0.1:${first}/`), 'hello-from-httpd\n'), 30_000);
      await eventually(() => assert.equal(curl(`http://127.0.0.1:${second}/`), 'hello-from-httpd\n'), 30_000);
    } finally {
      as(['rm', '-f', 'one', 'three']);
    }
    assert.deepEqual(pastaProcesses(root), []);
    assert.deepEqual(netnsFiles(root), []);
  });

  it('without a /dev/net/tun the user can open: -p refused in one line naming the device and the fix; no -p runs without a network, saying so', () => {
    // The device's mode is the whole machine's, and another suite running beside this one needs it
    // open: this test closes it in a mount namespace of its own instead, where /dev/net/tun is a
    // file only root may open, for a store whose namespace holder is made in there (and sees it too).
    const closed = join(work, 'closed-tun');
    writeFileSync(closed, '');
    chmodSync(closed, 0o600);
    const tunRoot = userDir(user, join(work, 'store-tun'));
    const blocked = (args: string[]) => {
      const r = spawnSync(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          'mount --bind "$0" /dev/net/tun && exec "$@"',
          closed,
          'setpriv',
          `--reuid=${user.uid}`,
          `--regid=${user.gid}`,
          '--init-groups',
          '--',
          process.execPath,
          cliPath,
          '--root',
          tunRoot,
          ...args,
        ],
        { encoding: 'utf8', cwd: tunRoot, env: userEnv(user, env) },
      );
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    const okBlocked = (args: string[]) => {
      const r = blocked(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    try {
      okBlocked(['load', '-i', join(work, 'images.tar')]);
      const before = snapshotTree(tunRoot);
      const r = blocked(['run', '--rm', '-p', '127.0.0.1:0:80', 'box:v1', 'true']);
      // Nothing of the refused run is left: no container, no namespace file.
      assert.equal(r.code, 125, r.stderr);
      assert.match(r.stderr, /^error: [^\n]*\/dev\/net\/tun[^\n]*0666[^\n]*\n$/);
      assert.deepEqual(
        Object.keys(snapshotTree(tunRoot))
          .filter((p) => !(p in before))
          .filter((p) => /^(containers|run\/netns)\//.test(p)),
        [],
      );
      // info says so too, with the device's fix.
      assert.match(
        okBlocked(['info']).stdout,
        /^Runtime: +rootless \(.*warning: .*\/dev\/net\/tun, which this user cannot open.*\(chmod 0666 \/dev\/net\/tun\), so containers get no network/m,
      );
      const plain = blocked(['run', '--rm', 'box:v1', 'sh', '-c', 'ls /sys/class/net']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(plain.stdout, 'lo\n');
      assert.match(plain.stderr, /\/dev\/net\/tun.*no network/);
      const context = userDir(user, join(work, 'context-tun'));
      writeFileSync(join(context, 'Dockerfile'), 'FROM box:v1\nRUN ls /sys/class/net > /ifaces\n');
      chmodSync(join(context, 'Dockerfile'), 0o644);
      const built = okBlocked(['build', '--progress', 'plain', '-t', 'built:tun', context]);
      assert.match(built.stderr + built.stdout, /warning: [^\n]*\/dev\/net\/tun[^\n]*this RUN runs without a network/);
      // The machine's own device was never touched: the suite's containers keep their network.
      assert.equal(statSync('/dev/net/tun').mode & 0o777, 0o666);
    } finally {
      try {
        const tunHolder = JSON.parse(readFileSync(join(tunRoot, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number };
        process.kill(tunHolder.pid, 'SIGKILL');
      } catch {
        // never started, or gone
      }
    }
  });

  it('rm, rmi and gc leave nothing in the store the user cannot delete', async () => {
    ok(['run', '-d', '--name', 'left', '--network', 'none', 'box:owners', 'sh', '-c', 'touch /home/app/more; sleep 100']);
    ok(['rm', '-f', 'left']);
    ok(['rmi', 'box:v1', 'box:owners', 'box:links', 'box:net', 'built:v1']);
    ok(['gc']);
    // A removed container's files are deleted in the background.
    await eventually(() => assert.deepEqual(notOwnedBy(root, user.uid), []), 30_000);
    const removed = spawnSync('rm', ['-rf', root], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
    assert.equal(removed.status, 0, removed.stderr);
  });
});

/** A second normal account with no subordinate range at all (useradd may give one: it is taken away). */
function userWithoutRange(): NormalUser {
  const name = 'stevedore-single';
  ensureAccount(name);
  for (const [file, flag] of [
    ['/etc/subuid', '--del-subuids'],
    ['/etc/subgid', '--del-subgids'],
  ] as const) {
    const granted = readSubordinateRange(file, { name, id: -1 });
    if (granted) {
      const dropped = spawnSync('usermod', [flag, `${granted.start}-${granted.start + granted.count - 1}`, name], {
        encoding: 'utf8',
      });
      assert.equal(dropped.status, 0, dropped.stderr);
    }
  }
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  return { name, uid: id('-u'), gid: id('-g'), home: `/home/${name}` };
}

describe('rootless containers with one id, for a user without a subordinate range', {
  skip: skip || false,
  timeout: 300_000,
}, () => {
  let user: NormalUser;
  let work: string;
  let root: string;
  let holder = 0;
  const env = { STEVEDORE_RUNTIME: '' };
  const as = (args: string[]) => stevedoreAs(user, root, args, { env });

  before(async () => {
    user = userWithoutRange();
    ({ work, root } = await userStoreWithBox(user, 'stevedore-single-', env));
    holder = (JSON.parse(readFileSync(join(root, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number }).pid;
  });

  after(() => {
    try {
      if (holder) process.kill(holder, 'SIGKILL');
    } catch {
      // already gone
    }
    if (work) assert.deepEqual(removeUserTempDir(work), []);
  });

  it('runs as root there, warns in `info`, and refuses -u another user in one line', () => {
    assert.match(as(['info']).stdout, /^Runtime: +rootless \(.*warning: .*no range.*-u with another user and chown fail/m);
    const map = readFileSync(`/proc/${holder}/uid_map`, 'utf8').trim().split(/\s+/).join(' ');
    assert.equal(map, `0 ${user.uid} 1`);
    const r = as(['run', '--rm', '--network', 'none', 'box:v1', 'sh', '-c', 'id -u; echo ok']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '0\nok\n');
    const other = as(['run', '--rm', '--network', 'none', '-u', 'app', 'box:v1', 'id']);
    assert.equal(other.code, 125);
    assert.match(other.stderr, /^error: -u app needs a subordinate id range, and \/etc\/subuid gives this user none: [^\n]*\n$/);
  });
});
