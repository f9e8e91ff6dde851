import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { missingTool, userNamespaceBlocker } from '../../core/runtime/rootless/rootlessHost.js';
import { cliPath } from '../../testkit/cli.js';
import { type Daemon, startDaemon } from '../../testkit/daemon.js';
import { eventually } from '../../testkit/eventually.js';
import { ensureTestUser, type NormalUser, removeUserTempDir, userDir, userEnv, userTempDir } from '../../testkit/normalUser.js';
import type { Contender } from '../timing.js';

/**
 * The rootless side of the runtime benchmark: the suite's normal user (testkit/normalUser.ts) runs
 * the real CLI, which enters the store's user namespace and drives runc there, and rootless podman
 * on the same image, each with its own store in a directory that user owns.
 */
export class RootlessPeers {
  private readonly root: string;
  /** A second store of the user's, which the user's own `stevedore daemon` serves (the app open). */
  private readonly servedRoot: string;
  private daemon: Daemon | undefined;
  private readonly podmanGlobal: string[];

  private constructor(
    private readonly user: NormalUser,
    private readonly dir: string,
  ) {
    this.root = join(dir, 'store');
    this.servedRoot = join(dir, 'served-store');
    this.podmanGlobal = [
      '--root',
      join(dir, 'podman', 'root'),
      '--runroot',
      join(dir, 'podman', 'run'),
      '--tmpdir',
      join(dir, 'podman', 'tmp'),
    ];
  }

  /** Why rootless cannot be timed here, or null when it can. */
  static unavailable(): string | null {
    if (process.getuid?.() !== 0) return 'the benchmark runs as root to make its normal user';
    const missing = missingTool(['unshare', 'nsenter', 'newuidmap', 'newgidmap', 'runc', 'conmon', 'podman']);
    return userNamespaceBlocker() ?? (missing ? `${missing} is not installed` : null);
  }

  /**
   * The stores made, with the images of the docker archive `save` writes (as root) loaded as the
   * user; the served store's engine started.
   */
  static async prepare(save: (archive: string) => void): Promise<RootlessPeers> {
    const user = ensureTestUser();
    const dir = userTempDir(user, 'stevedore-bench-rootless-');
    chmodSync(dir, 0o755);
    const archive = join(dir, 'images.tar');
    save(archive);
    chmodSync(archive, 0o644);
    const peers = new RootlessPeers(user, dir);
    try {
      userDir(user, peers.root);
      peers.stevedore(['load', '-i', archive]);
      userDir(user, peers.servedRoot);
      peers.stevedore(['load', '-i', archive], peers.servedRoot);
      peers.podman(['load', '-q', '-i', archive]);
      peers.daemon = await startDaemon(peers.servedRoot, peers.cliEnv(), user);
      return peers;
    } catch (err) {
      await peers.stopEngine();
      peers.cleanUp();
      throw err;
    }
  }

  /** A program run as the user, from the directory it owns; throws with its stderr when it fails. */
  private as(command: string, args: string[], env: NodeJS.ProcessEnv): string {
    const r = spawnSync(command, args, { encoding: 'utf8', uid: this.user.uid, gid: this.user.gid, cwd: this.dir, env });
    if (r.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} as ${this.user.name} failed: ${r.error?.message ?? r.stderr.trim()}`);
    }
    return r.stdout;
  }

  /** The user's environment, with the host's choice of runtime (rootless for that user). */
  private cliEnv(): NodeJS.ProcessEnv {
    return userEnv(this.user, { STEVEDORE_RUNTIME: '' });
  }

  /**
   * The CLI as the user on one of the user's stores (the one no daemon was started for unless
   * said): its first command leaves an engine running on demand, which the next ones go through.
   */
  stevedore(args: string[], root = this.root, env: NodeJS.ProcessEnv = {}): string {
    return this.as(process.execPath, [cliPath, '--root', root, ...args], { ...this.cliEnv(), ...env });
  }

  podman(args: string[]): string {
    return this.as('podman', [...this.podmanGlobal, ...args], userEnv(this.user));
  }

  /** The runtime `stevedore info` names for the user's store (the benchmark checks it is rootless). */
  runtimeLine(): string {
    return (
      this.stevedore(['info'])
        .split('\n')
        .find((line) => line.startsWith('Runtime:')) ?? 'Runtime: not said'
    );
  }

  contenders(
    labels: { stevedore: string; alone: string; served: string; podman: string },
    image: string,
    podmanFlags: string[],
  ): Contender[] {
    const run = ['run', '--rm', '--network', 'none', image, 'true'];
    return [
      { label: labels.stevedore, run: () => void this.stevedore(run) },
      // No engine used nor left: every command enters the namespace, as the first of a session does.
      { label: labels.alone, run: () => void this.stevedore(run, this.root, { STEVEDORE_NO_DAEMON: '1' }) },
      { label: labels.served, run: () => void this.stevedore(run, this.servedRoot) },
      { label: labels.podman, run: () => void this.podman(['run', '--rm', '--network', 'none', ...podmanFlags, image, 'true']) },
    ];
  }

  /** The served store's engine stopped, and gone once its socket is (it ends inside the namespace a moment after). */
  async stopEngine(): Promise<void> {
    const daemon = this.daemon;
    this.daemon = undefined;
    if (!daemon) return;
    await daemon.stop();
    await eventually(() => assert.equal(existsSync(daemon.socketPath), false, 'the rootless engine’s socket is gone'));
  }

  /**
   * Every container of the stores removed (after stopEngine), the stores' namespace holders ended,
   * the directory deleted (as root: the stores hold files of the user's subordinate ids). Returns
   * what was left.
   */
  cleanUp(): string[] {
    const problems: string[] = [];
    if (!existsSync(this.dir)) return problems;
    if (this.daemon) problems.push('the rootless stevedore daemon was not stopped first');
    // STEVEDORE_NO_DAEMON=1: these leave no engine behind to start as the directory goes.
    const alone = { STEVEDORE_NO_DAEMON: '1' };
    for (const root of [this.root, this.servedRoot]) {
      try {
        const ids = this.stevedore(['ps', '-aq'], root, alone).split('\n').filter(Boolean);
        if (ids.length > 0) this.stevedore(['rm', '--force', ...ids], root, alone);
      } catch (err) {
        problems.push(`stevedore rm -f (rootless): ${String(err)}`);
      }
    }
    try {
      this.podman(['rm', '--force', '--time', '0', '--all']);
    } catch (err) {
      problems.push(`podman rm -fa (rootless): ${String(err)}`);
    }
    for (const root of [this.root, this.servedRoot]) {
      try {
        const holder = JSON.parse(readFileSync(join(root, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number };
        process.kill(holder.pid, 'SIGKILL');
      } catch {
        // No holder, or it has gone.
      }
    }
    // Rootless podman leaves a pause process (catatonit) holding its namespace, started where
    // podman was: this benchmark's directory. Only that one is ended.
    for (const pid of pausesStartedIn(this.dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    problems.push(...removeUserTempDir(this.dir));
    return problems;
  }
}

/** podman's pause processes (catatonit -P) whose working directory is `dir`. */
function pausesStartedIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('catatonit\0-P') && readlinkSync(`/proc/${pid}/cwd`) === dir
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}
