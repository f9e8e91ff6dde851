import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { missingTool, userNamespaceBlocker } from '../../core/runtime/rootless/rootlessHost.js';
import { cliPath } from '../../testkit/cli.js';
import { ensureTestUser, type NormalUser, userDir, userEnv, userTempDir } from '../../testkit/normalUser.js';
import type { Contender } from '../timing.js';

/**
 * The rootless side of the runtime benchmark: the suite's normal user (testkit/normalUser.ts) runs
 * the real CLI, which enters the store's user namespace and drives runc there, and rootless podman
 * on the same image, each with its own store in a directory that user owns.
 */
export class RootlessPeers {
  private readonly root: string;
  private readonly podmanGlobal: string[];

  private constructor(
    private readonly user: NormalUser,
    private readonly dir: string,
  ) {
    this.root = join(dir, 'store');
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

  /** Both stores made, with the images of the docker archive `save` writes (as root) loaded as the user. */
  static prepare(save: (archive: string) => void): RootlessPeers {
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
      peers.podman(['load', '-q', '-i', archive]);
      return peers;
    } catch (err) {
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

  /** The CLI as the user, on the host's choice of runtime (rootless for that user). */
  stevedore(args: string[]): string {
    return this.as(process.execPath, [cliPath, '--root', this.root, ...args], userEnv(this.user, { STEVEDORE_RUNTIME: '' }));
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

  contenders(labels: { stevedore: string; podman: string }, image: string, podmanFlags: string[]): Contender[] {
    return [
      { label: labels.stevedore, run: () => void this.stevedore(['run', '--rm', '--network', 'none', image, 'true']) },
      { label: labels.podman, run: () => void this.podman(['run', '--rm', '--network', 'none', ...podmanFlags, image, 'true']) },
    ];
  }

  /**
   * Every container of both stores removed, the store's namespace holder ended, the directory
   * deleted (as root: the stores hold files of the user's subordinate ids). Returns what was left.
   */
  cleanUp(): string[] {
    const problems: string[] = [];
    if (!existsSync(this.dir)) return problems;
    try {
      const ids = this.stevedore(['ps', '-aq']).split('\n').filter(Boolean);
      if (ids.length > 0) this.stevedore(['rm', '--force', ...ids]);
    } catch (err) {
      problems.push(`stevedore rm -f (rootless): ${String(err)}`);
    }
    try {
      this.podman(['rm', '--force', '--time', '0', '--all']);
    } catch (err) {
      problems.push(`podman rm -fa (rootless): ${String(err)}`);
    }
    try {
      const holder = JSON.parse(readFileSync(join(this.root, 'run', 'rootless', 'holder.json'), 'utf8')) as { pid: number };
      process.kill(holder.pid, 'SIGKILL');
    } catch {
      // No holder, or it has gone.
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
    rmSync(this.dir, { recursive: true, force: true });
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
