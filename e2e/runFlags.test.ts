import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ContainerDetail, ContainerSummary } from '../core/api/containers.schema';
import { cgroupV2 } from '../core/system/cgroupVersion';
import { cliPath, stevedore } from '../testkit/cli';
import { eventually } from '../testkit/eventually';
import { busyboxLayer, makeLayer } from '../testkit/layers';
import { ensureTestUser, rootlessSkipReason, stevedoreAs, userDir, userTempDir } from '../testkit/normalUser';
import { tempDir } from '../testkit/tempDir';
import { removeAllContainers } from './support/containers';
import { cliJson, loadImages } from './support/images';

// Issue 17, docker's run and exec flags, against real runc as root (cgroup v1 here, as root runc
// applies the resources). One store for the file; each test removes its containers.

let root = '';
after(() => {
  if (root) removeAllContainers(root);
});
const work = tempDir('stevedore-e2e-run-flags-');
root = join(work, 'store');
before(async () => {
  await loadImages(root, work, [
    {
      refName: 'flags:latest',
      layers: [
        await busyboxLayer([
          'sh',
          'echo',
          'cat',
          'sleep',
          'dd',
          'touch',
          'id',
          'pwd',
          'true',
          'test',
          'mkdir',
          'httpd',
          'df',
          'stat',
        ]),
        await makeLayer([
          { path: 'etc/', type: 'directory' },
          { path: 'etc/group', content: 'root:x:0:\nstaff:x:50:\n' },
        ]),
      ],
      config: { Cmd: ['sh'], Env: ['PATH=/bin'], ExposedPorts: { '80/tcp': {}, '53/udp': {} } },
    },
  ]);
});

const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

function run(args: string[]): { code: number; out: string; stderr: string } {
  const r = stevedore(root, ['run', '--rm', ...args]);
  return { code: r.code, out: r.stdout, stderr: r.stderr };
}

function runDetached(name: string, flags: string[], command = IDLE): ContainerDetail {
  const r = stevedore(root, ['run', '-d', '--name', name, ...flags, 'flags:latest', ...command]);
  assert.equal(r.code, 0, r.stderr);
  return cliJson<ContainerDetail>(root, ['inspect', name]);
}

/** A field of /proc/self/status as the container's process sees it. */
function statusField(flags: string[], field: string): string {
  const r = run([...flags, 'flags:latest', 'cat', '/proc/self/status']);
  assert.equal(r.code, 0, r.stderr);
  const line = r.out.split('\n').find((l) => l.startsWith(`${field}:`));
  assert.ok(line, `${field} in ${r.out}`);
  return line.slice(field.length + 1).trim();
}

/** The container's cgroup directory for one v1 controller, from its main process. */
function cgroupDir(pid: number, controller: string): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1]?.split(',').includes(controller));
  assert.ok(line, `the ${controller} controller in /proc/${pid}/cgroup`);
  return join('/sys/fs/cgroup', controller, line.split(':')[2]!);
}

test('--memory 32m: a process that allocates more is OOM-killed (137), and inspect says so; without it, it runs', (t) => {
  t.after(() => removeAllContainers(root));
  const hog = ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=96M', 'count=1'];
  assert.equal(run(['flags:latest', ...hog]).code, 0, 'the same process without a limit');
  const limited = run(['--memory', '32m', 'flags:latest', ...hog]);
  assert.equal(limited.code, 137, limited.stderr);
  assert.equal(run(['-m', '32m', '--memory-swap', '32m', 'flags:latest', ...hog]).code, 137);
  const detached = runDetached('hog', ['-m', '32m'], hog);
  return eventually(() => {
    const shown = cliJson<ContainerDetail>(root, ['inspect', detached.id]);
    assert.equal(shown.state, 'exited');
    assert.equal(shown.exitCode, 137);
    assert.equal(shown.oomKilled, true);
  }, 20_000);
});

test('an OOM-killed detached container leaves nothing in the directory the command was typed in', async (t) => {
  t.after(() => removeAllContainers(root));
  // conmon also writes a file named "oom" in its working directory when the kernel kills the
  // container for memory; it must be the container's own directory, not the user's.
  const typedIn = tempDir();
  const r = spawnSync(
    process.execPath,
    [
      cliPath,
      '--root',
      root,
      'run',
      '-d',
      '-m',
      '32m',
      'flags:latest',
      'dd',
      'if=/dev/zero',
      'of=/dev/null',
      'bs=96M',
      'count=1',
    ],
    {
      cwd: typedIn,
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const id = r.stdout.trim();
  await eventually(() => assert.equal(cliJson<ContainerDetail>(root, ['inspect', id]).oomKilled, true), 20_000);
  assert.deepEqual(readdirSync(typedIn), []);
});

test('--pids-limit 5 stops a fork bomb-lite; --cpus, --cpu-shares, --memory, --memory-swap are in the cgroup', (t) => {
  t.after(() => removeAllContainers(root));
  const forks = run([
    '--pids-limit',
    '5',
    'flags:latest',
    'sh',
    '-c',
    'for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; echo forked',
  ]);
  assert.match(forks.out + forks.stderr, /can't fork|Resource temporarily unavailable/, forks.out + forks.stderr);
  const c = runDetached('limited', [
    '--cpus',
    '0.5',
    '--cpu-shares',
    '512',
    '--memory',
    '64m',
    '--memory-swap',
    '128m',
    '--pids-limit',
    '20',
  ]);
  assert.ok(c.pid);
  const cpu = cgroupDir(c.pid, 'cpu');
  assert.equal(readFileSync(join(cpu, 'cpu.cfs_quota_us'), 'utf8').trim(), '50000');
  assert.equal(readFileSync(join(cpu, 'cpu.cfs_period_us'), 'utf8').trim(), '100000');
  assert.equal(readFileSync(join(cpu, 'cpu.shares'), 'utf8').trim(), '512');
  const memory = cgroupDir(c.pid, 'memory');
  assert.equal(readFileSync(join(memory, 'memory.limit_in_bytes'), 'utf8').trim(), String(64 * 1024 * 1024));
  assert.equal(readFileSync(join(memory, 'memory.memsw.limit_in_bytes'), 'utf8').trim(), String(128 * 1024 * 1024));
  assert.equal(readFileSync(join(cgroupDir(c.pid, 'pids'), 'pids.max'), 'utf8').trim(), '20');
});

test('the container reads its own memory limit in /sys/fs/cgroup, which it cannot change', (t) => {
  t.after(() => removeAllContainers(root));
  const v2 = cgroupV2();
  const dir = v2 ? '/sys/fs/cgroup' : '/sys/fs/cgroup/memory';
  const file = v2 ? 'memory.max' : 'memory.limit_in_bytes';
  const r = run(['--memory', '48m', 'flags:latest', 'sh', '-c', `cat ${dir}/${file}; mkdir ${dir}/escape`]);
  assert.equal(r.out, `${48 * 1024 * 1024}\n`, r.stderr);
  assert.match(r.stderr, /^mkdir: can't create directory '[^']+': Read-only file system\n$/);
  assert.equal(r.code, 1);
});

/** Each run refused in one line, with docker's 125, and no container left. */
function assertRefused(cases: readonly (readonly [readonly string[], RegExp])[]): void {
  for (const [flags, why] of cases) {
    const r = run([...flags, 'flags:latest', 'true']);
    assert.equal(r.code, 125, `${flags.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, why);
  }
  assert.deepEqual(cliJson<ContainerSummary[]>(root, ['ps', '-a']), []);
}

test('bad resource values are refused in one line, nothing created', () => {
  assertRefused([
    [['--memory', 'lots'], /invalid --memory "lots"/],
    [['--cpus', '-1'], /invalid --cpus "-1"/],
    [['--pids-limit', 'x'], /invalid --pids-limit "x"/],
    [['-m', '32m', '--memory-swap', '16m'], /memory-swap limit should be larger than memory limit/],
  ]);
});

const CAP_NET_ADMIN = 1n << 12n;
const CAP_SYS_ADMIN = 1n << 21n;
const CAP_CHOWN = 1n << 0n;
const caps = (flags: string[]) => BigInt(`0x${statusField(flags, 'CapEff')}`);

test('--cap-add, --cap-drop (ALL, with or without CAP_), --privileged', () => {
  const base = caps([]);
  assert.equal(base & CAP_NET_ADMIN, 0n);
  assert.notEqual(base & CAP_CHOWN, 0n);
  assert.notEqual(caps(['--cap-add', 'NET_ADMIN']) & CAP_NET_ADMIN, 0n);
  assert.notEqual(caps(['--cap-add', 'cap_sys_admin']) & CAP_SYS_ADMIN, 0n);
  assert.equal(caps(['--cap-drop', 'CHOWN']) & CAP_CHOWN, 0n);
  assert.equal(caps(['--cap-drop', 'ALL']), 0n);
  assert.equal(caps(['--cap-drop', 'ALL', '--cap-add', 'CAP_CHOWN']), CAP_CHOWN);
  const all = caps(['--cap-add', 'ALL']);
  assert.notEqual(all & CAP_SYS_ADMIN, 0n);
  assert.equal(caps(['--privileged']), all);
  assert.equal(statusField(['--privileged'], 'Seccomp'), '0');
  const bad = run(['--cap-add', 'NOT_A_CAP', 'flags:latest', 'true']);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /NOT_A_CAP/);
});

test('no-new-privileges: off by default as docker, on with --security-opt no-new-privileges[=true]', () => {
  assert.equal(statusField([], 'NoNewPrivs'), '0');
  assert.equal(statusField(['--security-opt', 'no-new-privileges'], 'NoNewPrivs'), '1');
  assert.equal(statusField(['--security-opt', 'no-new-privileges=true'], 'NoNewPrivs'), '1');
  assert.equal(statusField(['--security-opt', 'no-new-privileges:false'], 'NoNewPrivs'), '0');
  assert.equal(statusField([], 'Seccomp'), '2');
  assert.equal(statusField(['--security-opt', 'seccomp=unconfined'], 'Seccomp'), '0');
});

test('--read-only: the rootfs refuses writes, a --tmpfs is writable', () => {
  const r = run(['--read-only', 'flags:latest', 'sh', '-c', 'touch /x && echo wrote']);
  assert.notEqual(r.code, 0);
  assert.match(r.out + r.stderr, /Read-only file system/);
  const tmp = run(['--read-only', '--tmpfs', '/tmp', 'flags:latest', 'sh', '-c', 'touch /tmp/x && echo wrote']);
  assert.equal(tmp.code, 0, tmp.stderr);
  assert.equal(tmp.out.trim(), 'wrote');
});

test('--add-host (host-gateway too), --dns, --dns-search, --dns-option', () => {
  const hosts = run(['--add-host', 'db.local:10.1.2.3', '--add-host', 'gw:host-gateway', 'flags:latest', 'cat', '/etc/hosts']);
  assert.equal(hosts.code, 0, hosts.stderr);
  assert.match(hosts.out, /^10\.1\.2\.3\tdb\.local$/m);
  assert.match(hosts.out, /^\d+\.\d+\.\d+\.\d+\tgw$/m);
  const bad = run(['--add-host', 'nocolon', 'flags:latest', 'true']);
  assert.equal(bad.code, 125);
  const dns = run([
    '--dns',
    '9.9.9.9',
    '--dns-search',
    'example.org',
    '--dns-option',
    'ndots:2',
    'flags:latest',
    'cat',
    '/etc/resolv.conf',
  ]);
  assert.equal(dns.code, 0, dns.stderr);
  assert.match(dns.out, /^nameserver 9\.9\.9\.9$/m);
  assert.doesNotMatch(dns.out, /^nameserver (?!9\.9\.9\.9)/m);
  assert.match(dns.out, /^search example\.org$/m);
  assert.match(dns.out, /^options ndots:2$/m);
});

test('-l/--label and --label-file: in inspect, and ps --filter label=', (t) => {
  t.after(() => removeAllContainers(root));
  const file = join(work, 'labels');
  writeFileSync(file, '# team\nteam=infra\nbare\n');
  const c = runDetached('labelled', ['-l', 'app=web', '--label', 'tier=front', '--label-file', file]);
  assert.deepEqual(c.labels, { app: 'web', tier: 'front', team: 'infra', bare: '' });
  runDetached('plain', []);
  const names = (filter: string) =>
    cliJson<ContainerSummary[]>(root, ['ps', '--filter', filter])
      .map((s) => s.name)
      .sort();
  assert.deepEqual(names('label=app'), ['labelled']);
  assert.deepEqual(names('label=app=web'), ['labelled']);
  assert.deepEqual(names('label=app=db'), []);
});

test('--init: catatonit or tini is PID 1 and runs the command; --init-path names one; a missing one is refused', () => {
  const r = run(['--init', 'flags:latest', 'sh', '-c', 'cat /proc/1/cmdline; echo; echo $$']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.out, /init|catatonit|tini/);
  assert.notEqual(r.out.trim().split('\n').at(-1), '1', 'the shell is not PID 1');
  const named = run(['--init', '--init-path', '/usr/bin/tini-static', 'flags:latest', '/sbin/docker-init', '--version']);
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.out, /tini version/);
  const missing = run(['--init', '--init-path', join(work, 'no-such-init'), 'flags:latest', 'true']);
  assert.equal(missing.code, 125);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.match(missing.stderr, /no-such-init/);
});

test('-P publishes the image’s EXPOSE ports and --expose’s on free host ports; -p takes ranges', (t) => {
  t.after(() => removeAllContainers(root));
  runDetached('all', ['-P', '--expose', '9000-9001', '--expose', '80/tcp']);
  const all = cliJson<ContainerSummary[]>(root, ['ps']).find((s) => s.name === 'all');
  assert.deepEqual(
    all?.ports.map((p) => `${p.containerPort}/${p.protocol}`).sort(),
    ['53/udp', '80/tcp', '9000/tcp', '9001/tcp'],
    JSON.stringify(all?.ports),
  );
  // Without -P, --expose publishes nothing; a port that is none is refused.
  runDetached('exposed', ['--expose', '7000']);
  assert.deepEqual(cliJson<ContainerSummary[]>(root, ['ps']).find((s) => s.name === 'exposed')?.ports, []);
  const bad = stevedore(root, ['run', '-d', '--expose', 'http', 'flags:latest', 'true']);
  assert.equal(bad.code, 125);
  assert.equal(bad.stderr, 'error: invalid --expose "http": expected PORT[-PORT][/tcp|/udp]\n');
  for (const p of all?.ports ?? []) assert.ok(p.hostPort > 0);
  const base = 20000 + Math.floor(Math.random() * 20000);
  runDetached('ranged', ['-p', `${base}-${base + 2}:8000-8002`]);
  const ranged = cliJson<ContainerSummary[]>(root, ['ps']).find((s) => s.name === 'ranged');
  assert.deepEqual(
    ranged?.ports.map((p) => `${p.hostPort}:${p.containerPort}`),
    [`${base}:8000`, `${base + 1}:8001`, `${base + 2}:8002`],
  );
  const uneven = stevedore(root, ['run', '-d', '-p', `${base + 10}-${base + 12}:8000-8001`, 'flags:latest', 'true']);
  assert.equal(uneven.code, 125);
});

test('exec -u, -w, -d, -e and --env-file', async (t) => {
  t.after(() => removeAllContainers(root));
  runDetached('target', []);
  const as = stevedore(root, ['exec', '-u', '1000:50', 'target', 'id']);
  assert.equal(as.code, 0, as.stderr);
  assert.match(as.stdout, /uid=1000 gid=50/);
  const where = stevedore(root, ['exec', '-w', '/bin', 'target', 'pwd']);
  assert.equal(where.stdout.trim(), '/bin', where.stderr);
  assert.notEqual(stevedore(root, ['exec', '-w', '/no/such/dir', 'target', 'pwd']).code, 0);
  const file = join(work, 'exec-env');
  writeFileSync(file, 'FROM_FILE=yes\n');
  const env = stevedore(root, ['exec', '-e', 'A=1', '--env-file', file, 'target', 'sh', '-c', 'echo $A $FROM_FILE']);
  assert.equal(env.stdout.trim(), '1 yes', env.stderr);
  const detached = stevedore(root, ['exec', '-d', 'target', 'sh', '-c', 'echo done > /detached']);
  assert.equal(detached.code, 0, detached.stderr);
  assert.equal(detached.stdout, '');
  await eventually(() => {
    const r = stevedore(root, ['exec', 'target', 'cat', '/detached']);
    assert.equal(r.stdout.trim(), 'done');
  });
});

test('--ulimit (-1 unlimited), --sysctl, --shm-size and --group-add reach the process, exec -u too; inspect shows them', (t) => {
  t.after(() => removeAllContainers(root));
  const flags = [
    ...['--ulimit', 'nofile=1024:2048', '--ulimit', 'core=-1:-1'],
    ...['--sysctl', 'net.ipv4.ip_unprivileged_port_start=99', '--sysctl', 'kernel.shmmax=123456'],
    ...['--shm-size', '16m', '--group-add', 'staff', '--group-add', '4242'],
  ];
  const seen = run([
    ...flags,
    'flags:latest',
    'sh',
    '-c',
    'ulimit -n; ulimit -Hn; ulimit -c; cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shmmax; df -k /dev/shm | tail -n 1; id -G',
  ]);
  assert.equal(seen.code, 0, seen.stderr);
  const lines = seen.out.trim().split('\n');
  assert.deepEqual(lines.slice(0, 5), ['1024', '2048', 'unlimited', '99', '123456']);
  assert.match(lines[5]!, /^shm\s+16384\s/);
  assert.equal(lines[6], '0 50 4242');
  // Without the flags: the engine's limits, docker's 64 MiB, the user's groups alone.
  const plain = run(['flags:latest', 'sh', '-c', 'df -k /dev/shm | tail -n 1; id -G']);
  assert.match(plain.out, /^shm\s+65536\s.*\n0\n$/);

  const detail = runDetached('limited', flags);
  const inspected = JSON.parse(stevedore(root, ['inspect', '--format', '{{json .HostConfig}}', 'limited']).stdout);
  assert.deepEqual(inspected.Ulimits, [
    { Name: 'nofile', Soft: 1024, Hard: 2048 },
    { Name: 'core', Soft: -1, Hard: -1 },
  ]);
  assert.deepEqual(inspected.Sysctls, { 'net.ipv4.ip_unprivileged_port_start': '99', 'kernel.shmmax': '123456' });
  assert.equal(inspected.ShmSize, 16 * 1024 * 1024);
  assert.deepEqual(inspected.GroupAdd, ['staff', '4242']);
  // exec takes the container's limits, and with -u its added groups, as docker's exec does.
  const exec = stevedore(root, ['exec', '-u', '1000', detail.id, 'sh', '-c', 'ulimit -c; id -G']);
  assert.equal(exec.stdout, 'unlimited\n0 50 4242\n', exec.stderr);
});

test('--device: the node at the path given, with the access given; a missing one or a file is refused', {
  skip: !existsSync('/dev/fuse') && 'this machine has no /dev/fuse',
}, () => {
  // /dev/fuse, which runc's default device rules do not allow: only --device's rule does.
  const open = 'stat -c "%F %t:%T" /dev/myfuse; exec 3<>/dev/myfuse && echo opened for writing';
  const full = run(['--device', '/dev/fuse:/dev/myfuse', 'flags:latest', 'sh', '-c', open]);
  assert.equal(full.out, 'character special file a:e5\nopened for writing\n', full.stderr);
  // A failed redirection of `exec` ends the shell: tried in a subshell.
  const readOnly = run([
    ...['--device', '/dev/fuse:/dev/myfuse:r', 'flags:latest', 'sh', '-c'],
    '(exec 3<>/dev/myfuse) || echo not for writing; exec 4</dev/myfuse && echo opened for reading',
  ]);
  assert.equal(readOnly.out, 'not for writing\nopened for reading\n');
  assert.match(readOnly.stderr, /Operation not permitted/);
  assert.notEqual(run(['flags:latest', 'stat', '/dev/myfuse']).code, 0, 'no device without --device');
  assertRefused([
    [
      ['--device', '/dev/no-such-device'],
      /^error: error gathering device information while adding custom device "\/dev\/no-such-device": no such file or directory\n$/,
    ],
    [['--device', '/etc/hostname'], /^error: --device \/etc\/hostname is not a device node\n$/],
    [['--device', 'dev/fuse'], /^error: invalid --device "dev\/fuse": device paths are absolute\n$/],
  ]);
});

test('--stop-signal is what stop sends, stop -s another; --stop-timeout is in inspect', async (t) => {
  t.after(() => removeAllContainers(root));
  const traps = [
    'sh',
    '-c',
    'trap "echo got USR1; exit 3" USR1; trap "echo got USR2; exit 5" USR2; trap "echo got TERM; exit 4" TERM; echo ready; while true; do sleep 1; done',
  ];
  runDetached('usr1', ['--stop-signal', 'USR1', '--stop-timeout', '30'], traps);
  runDetached('plain', [], traps);
  const config = JSON.parse(stevedore(root, ['inspect', '--format', '{{json .Config}}', 'usr1']).stdout);
  assert.equal(config.StopSignal, 'SIGUSR1');
  assert.equal(config.StopTimeout, 30);
  // Its traps are set once it has said so.
  for (const name of ['usr1', 'plain']) await eventually(() => assert.equal(stevedore(root, ['logs', name]).stdout, 'ready\n'));
  for (const [name, flags, said, code] of [
    ['usr1', [], 'got USR1', 3],
    ['plain', ['-s', 'USR2'], 'got USR2', 5],
  ] as const) {
    const stopped = stevedore(root, ['stop', ...flags, name]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(stevedore(root, ['logs', name]).stdout, `ready\n${said}\n`);
    assert.equal(cliJson<ContainerDetail>(root, ['inspect', name]).exitCode, code);
  }
});

test('bad --ulimit, --sysctl, --shm-size, --group-add, --stop-signal and --stop-timeout are refused in one line, nothing created', () => {
  assertRefused([
    [['--ulimit', 'files=10'], /invalid --ulimit "files=10": no such limit; one of as, core, /],
    [['--ulimit', 'nofile=20:10'], /the soft limit must not be over the hard limit/],
    [['--ulimit', 'nofile'], /expected NAME=SOFT\[:HARD\]/],
    [['--sysctl', 'vm.swappiness=10'], /sysctl 'vm.swappiness' is not allowed: it is not namespaced/],
    [['--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1'], /not allowed with --network host/],
    [['--shm-size', 'big'], /invalid --shm-size "big"/],
    [['--group-add', 'no such'], /invalid --group-add "no such"/],
    [['--group-add', 'wheel'], /unable to find group wheel/],
    [['--stop-signal', 'SIGNOPE'], /invalid signal "SIGNOPE"/],
    [['--stop-timeout', 'soon'], /invalid --stop-timeout "soon"/],
  ]);
});

test('the rootless runtime refuses --memory, --cpus, --pids-limit in one line instead of ignoring them', {
  skip: rootlessSkipReason() || false,
}, () => {
  const user = ensureTestUser();
  const home = userTempDir(user, 'stevedore-run-flags-rootless-');
  let holder = 0;
  try {
    chmodSync(home, 0o755);
    const archive = join(home, 'flags.tar');
    const saved = stevedore(root, ['save', 'flags:latest', '-o', archive]);
    assert.equal(saved.code, 0, saved.stderr);
    chmodSync(archive, 0o644);
    const userRoot = userDir(user, join(home, 'store'));
    const as = (args: string[]) => stevedoreAs(user, userRoot, args, { env: { STEVEDORE_RUNTIME: 'rootless' } });
    const loaded = as(['load', '-i', archive]);
    assert.equal(loaded.code, 0, loaded.stderr);
    holder = (JSON.parse(readFileSync(join(userRoot, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number }).pid;
    for (const flags of [
      ['--memory', '32m'],
      ['--cpus', '0.5'],
      ['--pids-limit', '5'],
    ]) {
      const r = as(['run', '--rm', '--network', 'none', ...flags, 'flags:latest', 'true']);
      assert.equal(r.code, 125, `${flags.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`${flags[0]} cannot be applied by the rootless runtime`));
    }
    assert.deepEqual(JSON.parse(as(['ps', '-a', '--json']).stdout), []);
    // Without limits the same run works: the refusal is about the flags alone.
    const plain = as(['run', '--rm', '--network', 'none', 'flags:latest', 'echo', 'ran']);
    assert.equal(plain.stdout.trim(), 'ran', plain.stderr);
  } finally {
    try {
      if (holder) process.kill(holder, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(home, { recursive: true, force: true });
  }
});
