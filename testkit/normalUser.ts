import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTicks } from '../core/runtime/processIdentity.js';
import { missingTool, userNamespaceBlocker } from '../core/runtime/rootless/rootlessHost.js';
import { type CliResult, cliPath, stevedore } from './cli.js';
import { loadBoxImage } from './containerImages.js';
import { processesWhere } from './processes.js';

/** The normal account the suite creates to test what a desktop user (never root) gets. */
export const TEST_USER = 'stevedore-vmtest';

export interface NormalUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** A normal account with a home, made when missing (as root). */
export function ensureAccount(name: string): void {
  if (spawnSync('id', ['-u', name]).status === 0) return;
  const made = spawnSync('useradd', ['-m', name], { encoding: 'utf8' });
  // Another suite running beside this one may have made it meanwhile (useradd then exits 9).
  if (made.status !== 0 && spawnSync('id', ['-u', name]).status !== 0) {
    throw new Error(`useradd ${name} failed: ${made.stderr}`);
  }
}

/**
 * Debian's udev rules give /dev/net/tun and /dev/fuse mode 0666, which rootless networking (pasta)
 * and fuse-overlayfs need; a machine without udev has them 0600 (root's only). The suite makes them
 * as on stock Debian, and changes nothing else.
 */
function devicesLikeStockDebian(): void {
  for (const device of ['/dev/net/tun', '/dev/fuse']) if (existsSync(device)) chmodSync(device, 0o666);
}

/**
 * The test user, created (with a home and a subordinate id range) when the suite runs as root,
 * on a machine whose devices are as stock Debian's.
 */
export function ensureTestUser(): NormalUser {
  devicesLikeStockDebian();
  ensureAccount(TEST_USER);
  // A subordinate id range, as rootless tools need (useradd gives one where login.defs asks it to).
  for (const [file, flag] of [
    ['/etc/subuid', '--add-subuids'],
    ['/etc/subgid', '--add-subgids'],
  ] as const) {
    const listed =
      existsSync(file) &&
      readFileSync(file, 'utf8')
        .split('\n')
        .some((l) => l.startsWith(`${TEST_USER}:`));
    if (!listed) {
      const added = spawnSync('usermod', [flag, '300000-365535', TEST_USER], { encoding: 'utf8' });
      if (added.status !== 0) throw new Error(`usermod ${flag} for ${TEST_USER} failed: ${added.stderr}`);
    }
  }
  const uid = Number(spawnSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', TEST_USER], { encoding: 'utf8' }).stdout.trim());
  const home = spawnSync('sh', ['-c', `getent passwd ${TEST_USER} | cut -d: -f6`], { encoding: 'utf8' }).stdout.trim();
  return { name: TEST_USER, uid, gid, home };
}

/** A fresh directory under /tmp that belongs to `user` (mode 0700). */
export function userTempDir(user: NormalUser, prefix: string): string {
  const dir = mkdtempSync(join('/tmp', prefix));
  chownSync(dir, user.uid, user.gid);
  return dir;
}

/**
 * The engines a rootless command started on demand (`daemon --exit-when-idle`) for stores under
 * `dir`: found by their command line, since one spawned as a command ended may not serve yet.
 */
function onDemandEnginesUnder(dir: string): number[] {
  return processesWhere(
    (args) => args.includes('--exit-when-idle') && (args[args.indexOf('--root') + 1] ?? '').startsWith(`${dir}/`),
  );
}

/**
 * Removes a directory of `userTempDir`'s, after ending the engines its stores' commands left
 * running (one starting as the directory goes would write into it, or make it again). Returns
 * what could not be done.
 */
export function removeUserTempDir(dir: string): string[] {
  const engines = onDemandEnginesUnder(dir);
  for (const pid of engines) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  const until = Date.now() + 10_000;
  const running = () => engines.filter((pid) => processStartTicks(pid) !== null);
  while (running().length > 0 && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  const left = running();
  rmSync(dir, { recursive: true, force: true });
  return left.map((pid) => `the engine ${pid} started on demand did not end`);
}

/** A directory inside `parent` that belongs to `user`. */
export function userDir(user: NormalUser, path: string): string {
  mkdirSync(path, { recursive: true });
  chownSync(path, user.uid, user.gid);
  return path;
}

/**
 * The user's environment. The runtime is the machine's unless `env` says otherwise: the machine
 * suites were written when a normal user had no other, and a user now gets rootless by default
 * (e2e/rootless.test.ts passes STEVEDORE_RUNTIME: '' to get the host's choice).
 */
export function userEnv(user: NormalUser, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { STEVEDORE_ROOT: _root, STEVEDORE_RUNTIME: _runtime, SUDO_USER: _sudo, ...rest } = process.env;
  return { ...rest, HOME: user.home, USER: user.name, LOGNAME: user.name, XDG_RUNTIME_DIR: '', STEVEDORE_RUNTIME: 'vm', ...env };
}

/** The built `stevedore` run as `user` against `root`, as that person would from a shell. */
export function stevedoreAs(
  user: NormalUser,
  root: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): CliResult {
  const env = options.env ?? {};
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], {
    encoding: 'utf8',
    ...(options.input !== undefined ? { input: options.input } : {}),
    uid: user.uid,
    gid: user.gid,
    cwd: root,
    env: userEnv(user, env),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like stevedoreAs, without blocking this process. */
export function stevedoreAsAsync(
  user: NormalUser,
  root: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, '--root', root, ...args], {
      uid: user.uid,
      gid: user.gid,
      cwd: root,
      env: userEnv(user, env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Ends the namespace holder of a store the user's rootless engine made (podman's pause process),
 * so that a test leaves no process behind; nothing when there is none.
 */
export function killNamespaceHolder(root: string): void {
  try {
    const holder = JSON.parse(readFileSync(join(root, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number };
    process.kill(holder.pid, 'SIGKILL');
  } catch {
    // never started, or gone
  }
}

/**
 * Why the suite's rootless tests cannot run here ('' when they can): the normal user is made by
 * root, and the kernel and the system must give it a user namespace and the tools (`extra`
 * beyond those every rootless container needs).
 */
export function rootlessSkipReason(extra: string[] = []): string {
  if (process.getuid?.() !== 0) return 'the suite runs as root to create its normal user';
  const missing = missingTool(['unshare', 'nsenter', 'newuidmap', 'newgidmap', 'runc', 'conmon', ...extra]);
  return userNamespaceBlocker() ?? (missing ? `${missing} is not installed` : '');
}

/**
 * A store of `user`'s own in a fresh directory (`work`, readable by all), holding `box:v1`
 * (loadBoxImage): staged by root and handed over as an archive, loaded by the user with `env`,
 * so that its layers are unpacked as the user's runtime unpacks them.
 */
export async function userStoreWithBox(
  user: NormalUser,
  prefix: string,
  env: NodeJS.ProcessEnv,
): Promise<{ work: string; root: string }> {
  const work = userTempDir(user, prefix);
  chmodSync(work, 0o755);
  const staging = join(work, 'staging');
  await loadBoxImage(staging, join(work, 'box-work'));
  const archive = join(work, 'box.tar');
  const saved = stevedore(staging, ['save', 'box:v1', '-o', archive]);
  if (saved.code !== 0) throw new Error(`stevedore save failed: ${saved.stderr}`);
  chmodSync(archive, 0o644);
  const root = userDir(user, join(work, 'store'));
  const loaded = stevedoreAs(user, root, ['load', '-i', archive], { env });
  if (loaded.code !== 0) throw new Error(`stevedore load as ${user.name} failed: ${loaded.stderr}`);
  return { work, root };
}
