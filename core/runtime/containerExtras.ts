import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StevedoreError } from '../errors.js';
import { createLayerTar } from '../layers/createLayer.js';
import { withStoreLock } from '../store/lock.js';
import { commandEnd } from '../system/commandEnd.js';
import { journalContainerChange } from './containerEvents.js';
import { checkContainerName } from './containerNames.js';
import { containerIds, containerPaths, readRecord, writeRecord } from './containerRecord.js';
import type { Containers, ContainersDeps } from './containers.js';
import { runcOutput } from './runc.js';

/** docker's `diff`: a path Added, Changed or Deleted, as the container's upper directory says. */
export interface PathChange {
  kind: 'A' | 'C' | 'D';
  path: string;
}

/** `top`: ps's header and rows, split into columns (the last, CMD, keeps its spaces). */
export interface ProcessTable {
  titles: string[];
  processes: string[][];
}

/** rename, top and diff (RuntimeBackend.extras); the native runtime's is ContainerExtras. */
export interface ContainerExtrasBackend {
  rename(ref: string, name: string): Promise<void>;
  top(ref: string, psOptions: string[]): Promise<ProcessTable>;
  changes(ref: string): Promise<PathChange[]>;
  /** `commit`: what the container changed, as a layer tar (whiteouts for deletions), and its image's ID. */
  layerTar(ref: string): Promise<{ tar: Readable; imageId: string }>;
}

/** overlayfs marks a deleted lower path in the upper directory with a 0/0 character device. */
function isWhiteout(path: string): boolean {
  const info = lstatSync(path);
  return info.isCharacterDevice() && info.rdev === 0;
}

/**
 * What the engine itself puts in every container's upper directory, as docker's init layer does and
 * hides from `diff`: mount points of the kernel filesystems and of the files bound over the image's.
 */
const ENGINE_PATHS = new Set(['/dev', '/proc', '/sys', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab']);
const underEnginePath = (path: string) => ['/dev/', '/proc/', '/sys/'].some((p) => path.startsWith(p));
/** The directories the engine makes for ENGINE_PATHS when the image lacks them (/etc). */
const ENGINE_PARENTS = new Set([...ENGINE_PATHS].map((p) => p.slice(0, p.lastIndexOf('/'))).filter(Boolean));

/**
 * What a container changed, read off its upper directory (overlayfs) against the image's
 * snapshot: a whiteout is D, a path the image has is C, any other A; docker's order, by path.
 * A directory the engine made for its own mount points counts as the image's, as docker's init
 * layer holds it: left out while it holds only those, C once the container put something there.
 */
export function upperDirChanges(upper: string, lower: string): PathChange[] {
  const visit = (rel: string): PathChange[] => {
    const out: PathChange[] = [];
    for (const name of readdirSync(join(upper, rel)).sort()) {
      const path = `${rel}/${name}`;
      if (ENGINE_PATHS.has(path) || underEnginePath(path)) continue;
      const full = join(upper, path);
      if (isWhiteout(full)) {
        out.push({ kind: 'D', path });
        continue;
      }
      const inImage = lstatSync(join(lower, path), { throwIfNoEntry: false }) !== undefined;
      const below = lstatSync(full).isDirectory() ? visit(path) : [];
      if (!inImage && ENGINE_PARENTS.has(path)) {
        if (below.length > 0) out.push({ kind: 'C', path }, ...below);
        continue;
      }
      out.push({ kind: inImage ? 'C' : 'A', path }, ...below);
    }
    return out;
  };
  return visit('').sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Splits ps's output into a header and rows: columns by whitespace, the last one whole. */
export function parsePs(output: string): ProcessTable {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/);
  const processes = lines.slice(1).map((line) => {
    const parts = line.trim().split(/\s+/);
    return [...parts.slice(0, titles.length - 1), parts.slice(titles.length - 1).join(' ')];
  });
  return { titles, processes };
}

export class ContainerExtras implements ContainerExtrasBackend {
  constructor(
    private readonly containers: Containers,
    private readonly deps: ContainersDeps,
  ) {}

  /** docker rename: the name must be free; a running container keeps running under its new name. */
  async rename(ref: string, name: string): Promise<void> {
    checkContainerName(name);
    const { id } = await this.containers.get(ref);
    const root = this.containers.root;
    await withStoreLock(
      this.deps.store.layout,
      async () => {
        const taken = containerIds(root)
          .filter((other) => other !== id && existsSync(containerPaths(root, other).record))
          .some((other) => readRecord(containerPaths(root, other).record).name === name);
        if (taken) throw new StevedoreError('CONFLICT', `the container name "${name}" is already in use`);
        const record = readRecord(containerPaths(root, id).record);
        if (record.name === name)
          throw new StevedoreError('CONFLICT', `Renaming a container with the same name as its current name`);
        const renamed = { ...record, name };
        writeRecord(root, renamed);
        journalContainerChange(root, id, 'renamed', renamed);
      },
      'containers',
    );
  }

  /** docker top: the container's processes (runc ps), as the host's `ps` shows them (`-f` unless options are given). */
  async top(ref: string, psOptions: string[]): Promise<ProcessTable> {
    const record = await this.containers.get(ref);
    if (record.state.status !== 'running') throw new StevedoreError('CONFLICT', `container ${record.name} is not running`);
    // Awaited, not spawned synchronously: a long-lived engine goes on serving while they run.
    const listed = await runcOutput(['ps', '--format', 'json', record.id], `cannot list the processes of ${record.name}`);
    const pids = JSON.parse(listed || '[]') as number[];
    const options = psOptions.length > 0 ? psOptions : ['-f'];
    // ps exits 1 when no PID matched: only a failure of the person's own options is theirs to hear.
    const ps = await commandEnd('ps', [...options, ...(psOptions.length > 0 ? [] : ['-p', pids.join(',')])]);
    if (ps.status !== 0 && psOptions.length > 0) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `ps ${psOptions.join(' ')} failed: ${(ps.stderr || ps.error?.message || '').trim()}`,
      );
    }
    const table = parsePs(ps.stdout);
    const pidColumn = table.titles.indexOf('PID');
    if (pidColumn < 0)
      throw new StevedoreError('INVALID_ARGUMENT', 'the ps options give no PID column to pick the container’s processes by');
    const mine = new Set(pids.map(String));
    return { titles: table.titles, processes: table.processes.filter((row) => mine.has(row[pidColumn] ?? '')) };
  }

  /** docker diff: needs the overlay's upper directory (a container on a copied rootfs has none to read). */
  async changes(ref: string): Promise<PathChange[]> {
    const record = await this.containers.get(ref);
    const { dir } = containerPaths(this.containers.root, record.id);
    if (existsSync(join(dir, 'rootfs.copied'))) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `container ${record.name} runs on a copy of its image (no overlayfs here): its changes are not kept apart`,
      );
    }
    const upper = join(dir, 'upper');
    if (!existsSync(upper)) return [];
    const lower = await this.deps.snapshots.prepare(this.deps.resolveImage(record.imageId));
    if (!lower) throw new StevedoreError('INTERNAL', 'the image has no root filesystem');
    return upperDirChanges(upper, lower);
  }

  async layerTar(ref: string): Promise<{ tar: Readable; imageId: string }> {
    const record = await this.containers.get(ref);
    const changes = await this.changes(ref);
    const upper = join(containerPaths(this.containers.root, record.id).dir, 'upper');
    const relativePath = (c: PathChange) => c.path.slice(1);
    const tar = createLayerTar(upper, {
      changed: changes.filter((c) => c.kind !== 'D').map(relativePath),
      deleted: changes.filter((c) => c.kind === 'D').map(relativePath),
    });
    return { tar, imageId: record.imageId };
  }
}
