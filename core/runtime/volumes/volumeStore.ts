import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { VOLUME_NAME } from '../../api/mountSpec.js';
import type { VolumePruneResult, VolumeSummary } from '../../api/volumes.schema.js';
import { StevedoreError } from '../../errors.js';
import { withStoreLock } from '../../store/lock.js';
import type { Store } from '../../store/store.js';
import { writeFileAtomic } from '../../system/atomicFile.js';
import { containerIds, containerPaths, readRecord } from '../containerRecord.js';
import { makePrivateDir } from '../privateFile.js';

/**
 * What is known of a volume besides its files, in `<root>/volumes/<name>/volume.json`, beside
 * (never inside) its data: a container that owns the data cannot touch the record.
 */
const volumeRecord = z.object({
  name: z.string(),
  createdAt: z.string(),
  labels: z.record(z.string(), z.string()),
  anonymous: z.boolean(),
});
type VolumeRecord = z.infer<typeof volumeRecord>;

/**
 * The lock that container creation holds: a volume is removed only while no container can be
 * made to use it, and a container is made only while none of its volumes is being removed.
 */
export const VOLUMES_LOCK = 'containers';

/**
 * Volumes of the local driver, as docker lays them out: `<root>/volumes/<name>/_data` is what
 * containers mount, `volume.json` beside it. `<root>/volumes` and each volume's directory are
 * 0700 (the data may be anyone's secrets); `_data` gets the mode of what fills it.
 */
export class VolumeStore {
  readonly dir: string;

  constructor(private readonly store: Store) {
    this.dir = join(store.root, 'volumes');
  }

  dataDir(name: string): string {
    return volumeDataDir(this.store.root, name);
  }

  private recordFile(name: string): string {
    return join(this.dir, name, 'volume.json');
  }

  private read(name: string): VolumeRecord | undefined {
    const file = this.recordFile(name);
    if (!existsSync(file)) return undefined;
    try {
      return volumeRecord.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      throw new StevedoreError('STORE_CORRUPT', `the volume record ${file} is not valid`);
    }
  }

  private names(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((n) => VOLUME_NAME.test(n) && existsSync(this.recordFile(n)));
  }

  /** Volume name → the containers (IDs) whose mounts name it. */
  users(): Map<string, string[]> {
    const users = new Map<string, string[]>();
    for (const id of containerIds(this.store.root)) {
      const file = containerPaths(this.store.root, id).record;
      if (!existsSync(file)) continue;
      for (const mount of readRecord(file).config.mounts) {
        if (mount.type === 'volume') users.set(mount.name, [...(users.get(mount.name) ?? []), id]);
      }
    }
    return users;
  }

  private summary(record: VolumeRecord, users: Map<string, string[]>): VolumeSummary {
    return {
      name: record.name,
      driver: 'local',
      mountpoint: this.dataDir(record.name),
      createdAt: record.createdAt,
      labels: record.labels,
      anonymous: record.anonymous,
      usedBy: users.get(record.name) ?? [],
    };
  }

  list(): VolumeSummary[] {
    const users = this.users();
    return this.names()
      .flatMap((n) => this.read(n) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => this.summary(r, users));
  }

  inspect(name: string): VolumeSummary {
    const record = VOLUME_NAME.test(name) ? this.read(name) : undefined;
    if (!record) throw new StevedoreError('NOT_FOUND', `get ${name}: no such volume`);
    return this.summary(record, this.users());
  }

  /**
   * The volume, made if missing (with the caller holding VOLUMES_LOCK): `run -v NAME:/path`
   * creates on first use, as `volume create` of an existing name does nothing (docker).
   * A null name makes an anonymous volume with a random one.
   */
  ensureLocked(name: string | null, options: { labels?: Record<string, string>; anonymous?: boolean } = {}): string {
    const chosen = name ?? randomBytes(32).toString('hex');
    if (!VOLUME_NAME.test(chosen)) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `"${chosen}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed`,
      );
    }
    if (this.read(chosen)) return chosen;
    makePrivateDir(this.dir);
    makePrivateDir(join(this.dir, chosen));
    mkdirSync(this.dataDir(chosen), { recursive: true, mode: 0o755 });
    const record: VolumeRecord = {
      name: chosen,
      createdAt: new Date().toISOString(),
      labels: options.labels ?? {},
      anonymous: options.anonymous ?? name === null,
    };
    // The record last: a volume without one is not listed, and is made again over the directory.
    writeFileAtomic(this.recordFile(chosen), `${JSON.stringify(record, null, 2)}\n`, { durable: false });
    return chosen;
  }

  create(name: string | undefined, labels: Record<string, string> = {}): Promise<VolumeSummary> {
    return this.locked(async () => {
      const made = this.ensureLocked(name ?? null, { labels, anonymous: false });
      return this.summary(this.read(made)!, this.users());
    });
  }

  /**
   * docker volume rm: refused while any container (running or not) names the volume, in docker's
   * words; `force` only makes a missing volume no error.
   */
  remove(name: string, force = false): Promise<void> {
    return this.locked(async () => {
      if (!VOLUME_NAME.test(name) || !this.read(name)) {
        if (force) return;
        throw new StevedoreError('NOT_FOUND', `get ${name}: no such volume`);
      }
      const users = this.users().get(name) ?? [];
      if (users.length > 0) throw new StevedoreError('CONFLICT', `remove ${name}: volume is in use - [${users.join(', ')}]`);
      this.deleteLocked(name);
    });
  }

  /** Removes the anonymous volumes among `names` that no container names any more (`rm -v`, `--rm`). */
  removeAnonymousLocked(names: string[]): void {
    const users = this.users();
    for (const name of names) {
      if (this.read(name)?.anonymous && (users.get(name) ?? []).length === 0) this.deleteLocked(name);
    }
  }

  /** docker volume prune: unused anonymous volumes; with `all`, every unused volume. */
  prune(all = false): Promise<VolumePruneResult> {
    return this.locked(async () => {
      const users = this.users();
      const removed: string[] = [];
      let reclaimedBytes = 0;
      for (const name of this.names()) {
        const record = this.read(name);
        if (!record || (users.get(name) ?? []).length > 0 || (!all && !record.anonymous)) continue;
        reclaimedBytes += treeBytes(this.dataDir(name));
        this.deleteLocked(name);
        removed.push(name);
      }
      return { removed, reclaimedBytes };
    });
  }

  /** Gone from the list at once (a rename out of `volumes/`), then its files. */
  private deleteLocked(name: string): void {
    const trash = join(this.store.root, 'tmp', 'trash');
    mkdirSync(trash, { recursive: true });
    const doomed = join(trash, `volume-${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
    renameSync(join(this.dir, name), doomed);
    rmSync(doomed, { recursive: true, force: true });
  }

  locked<T>(fn: () => Promise<T>): Promise<T> {
    return withStoreLock(this.store.layout, fn, VOLUMES_LOCK);
  }
}

/** What containers mount of a volume. */
export function volumeDataDir(root: string, name: string): string {
  return join(root, 'volumes', name, '_data');
}

/** Bytes of the regular files under `dir` (links not followed). */
function treeBytes(dir: string): number {
  let total = 0;
  const walk = (path: string) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else if (stat.isFile()) total += stat.size;
  };
  walk(dir);
  return total;
}
