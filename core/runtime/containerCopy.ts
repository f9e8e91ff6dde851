import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { Header } from 'tar-stream';
import type { ContainerDirectory } from '../api/containerFiles.schema.js';
import { StevedoreError } from '../errors.js';
import { LayerApplier } from '../layers/apply.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import { createLayerTar } from '../layers/createLayer.js';
import { layerEntryPath } from '../layers/entryName.js';
import { readTar } from '../layers/layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from '../layers/unpack.js';
import { WHITEOUT_PREFIX } from '../layers/whiteout.js';
import { listContainerDirectory, readContainerFile } from './containerFiles.js';
import { containerPaths } from './containerRecord.js';
import { mountRootfs, unmountRootfs } from './containerRootfs.js';
import type { Containers, ContainersDeps } from './containers.js';

/** What is at a path: docker's `cp` decides from it where a copy goes (a directory receives, a name is given). */
export type PathKind = 'directory' | 'file' | 'symlink' | 'other';

export function pathKind(path: string, follow = false): PathKind | undefined {
  const info = follow ? statSync(path, { throwIfNoEntry: false }) : lstatSync(path, { throwIfNoEntry: false });
  if (!info) return undefined;
  return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : info.isSymbolicLink() ? 'symlink' : 'other';
}

/** Every path under `dir`/`base` (relative to `dir`), parents first, not following symlinks. */
export function treePaths(dir: string, base: string): string[] {
  const out = [base];
  const full = base === '' ? dir : join(dir, base);
  if (lstatSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) out.push(...treePaths(dir, base === '' ? name : `${base}/${name}`));
  }
  return out.filter((p) => p !== '');
}

/** A tar of `path` (its own name first, as docker's archive does), or of what is in it with `contents`. */
export function archiveOf(path: string, contents: boolean): Readable {
  if (contents) return createLayerTar(path, { changed: treePaths(path, ''), deleted: [] });
  return createLayerTar(dirname(path), { changed: treePaths(dirname(path), relative(dirname(path), path)), deleted: [] });
}

export interface ExtractOptions {
  /** `-a`: keep the archive's owners; otherwise docker's cp gives the files to root (in a container) or to the caller. */
  keepOwners: boolean;
  /** The archive's first name component becomes this (docker's rebase, when the copy gets a new name). */
  rename?: { from: string; to: string } | undefined;
}

/**
 * Unpacks a cp archive into `dir` (a real directory inside `root`), each entry resolved inside
 * `root` (confinedPath.ts): a symlink met on the way is followed as if `root` were `/`, so nothing
 * lands outside it. Names that climb (`..`) and overlayfs whiteouts are refused: a copy only adds.
 */
export async function extractArchive(
  root: string,
  dir: string,
  tar: Readable,
  options: ExtractOptions & { ownerInRoot: boolean },
): Promise<void> {
  const prefix = relative(root, dir);
  const applier = new LayerApplier(root, { preserveOwnership: options.ownerInRoot || options.keepOwners });
  await readTar(tar, 'none', { maxBytes: DEFAULT_MAX_UNPACK_BYTES, what: 'the copied archive' }, async (header, body) => {
    let name = layerEntryPath(header.name);
    if (name.split('/').some((c) => c.startsWith(WHITEOUT_PREFIX))) {
      body.resume();
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `cannot copy "${header.name}": names starting with ${WHITEOUT_PREFIX} are overlayfs whiteouts`,
      );
    }
    const { rename } = options;
    if (rename && (name === rename.from || name.startsWith(`${rename.from}/`))) name = rename.to + name.slice(rename.from.length);
    const owners = options.keepOwners ? {} : { uid: 0, gid: 0 };
    const rebased: Header = { ...header, ...owners, name: prefix ? `${prefix}/${name}` : name };
    if (rebased.type === 'link' && rebased.linkname) {
      let link = layerEntryPath(rebased.linkname);
      if (rename && (link === rename.from || link.startsWith(`${rename.from}/`)))
        link = rename.to + link.slice(rename.from.length);
      rebased.linkname = prefix ? `${prefix}/${link}` : link;
    }
    await applier.apply({ header: rebased, body });
  });
  applier.finish();
}

/**
 * docker cp's two halves on this machine's containers (docker's `GET` and `PUT
 * /containers/ID/archive`): a running container's files are its mounted root filesystem; a
 * stopped one's overlay is mounted for the copy and unmounted after, unless it started meanwhile.
 * Volumes and bind mounts are not in that tree: their files are not copied (as podman without the
 * container running).
 */
/** What a runtime offers `cp` (RuntimeBackend.copy); the native runtime's is ContainerCopy. */
export interface ContainerCopyBackend {
  stat(ref: string, path: string, follow?: boolean): Promise<PathKind | undefined>;
  readArchive(
    ref: string,
    path: string,
    follow: boolean,
    consume: (tar: Readable, kind: PathKind, name: string) => Promise<void>,
  ): Promise<void>;
  writeArchive(ref: string, path: string, tar: Readable, options: ExtractOptions): Promise<void>;
  /** The app's Files tab: one directory of the container (containerFiles.ts). */
  list?(ref: string, path: string): Promise<ContainerDirectory>;
  /** The app's download of one file. */
  readFile?(ref: string, path: string): Promise<{ name: string; size: number; base64: string }>;
}

export class ContainerCopy implements ContainerCopyBackend {
  constructor(
    private readonly containers: Containers,
    private readonly deps: ContainersDeps,
  ) {}

  private async withRootfs<T>(ref: string, use: (rootfs: string) => Promise<T>): Promise<T> {
    const record = await this.containers.get(ref);
    const paths = containerPaths(this.containers.root, record.id);
    if (record.state.status === 'running') {
      // Frozen while its files are walked, as docker does since CVE-2018-15664: a process inside
      // could otherwise swap a checked directory for a symlink between the check and the open.
      // Where the freezer cannot be used (a cgroup not delegated), the copy goes on unfrozen.
      const frozen =
        !record.state.paused &&
        (await this.containers.pause(record.id).then(
          () => true,
          () => false,
        ));
      try {
        return await use(paths.rootfs);
      } finally {
        if (frozen) await this.containers.unpause(record.id).catch(() => undefined);
      }
    }
    const lower = await this.deps.snapshots.prepare(this.deps.resolveImage(record.imageId));
    if (!lower) throw new StevedoreError('INTERNAL', 'the image has no root filesystem');
    const rootfs = await mountRootfs(paths.dir, lower, record.config.autoRemove);
    try {
      return await use(rootfs);
    } finally {
      const now = await this.containers.get(record.id).catch(() => undefined);
      if (now && now.state.status !== 'running') await unmountRootfs(paths.dir);
    }
  }

  async list(ref: string, path: string): Promise<ContainerDirectory> {
    return this.withRootfs(ref, async (rootfs) => listContainerDirectory(rootfs, path));
  }

  async readFile(ref: string, path: string): Promise<{ name: string; size: number; base64: string }> {
    return this.withRootfs(ref, async (rootfs) => readContainerFile(rootfs, path));
  }

  /** What is at `path` in the container (its last component followed when `follow`), or undefined. */
  async stat(ref: string, path: string, follow = true): Promise<PathKind | undefined> {
    return this.withRootfs(ref, async (rootfs) => pathKind(resolveInRoot(rootfs, path, follow)));
  }

  /**
   * The tar of `path` in the container, handed to `consume` while the files are there to read.
   * A path ending in `/.` gives what is in the directory; a final symlink is archived as itself
   * unless `follow` (`-L`).
   */
  async readArchive(
    ref: string,
    path: string,
    follow: boolean,
    consume: (tar: Readable, kind: PathKind, name: string) => Promise<void>,
  ): Promise<void> {
    const contents = /(^|\/)\.$/.test(path);
    await this.withRootfs(ref, async (rootfs) => {
      const source = resolveInRoot(rootfs, path, follow || contents);
      const kind = pathKind(source);
      if (!kind)
        throw new StevedoreError('NOT_FOUND', `Could not find the file ${path} in container ${ref}: no such file or directory`);
      if (contents && kind !== 'directory') throw new StevedoreError('INVALID_ARGUMENT', `${path}: not a directory`);
      await consume(archiveOf(source, contents || source === rootfs), kind, basename(source));
    });
  }

  /** Unpacks `tar` into the directory `path` of the container (which must exist), confined to its root filesystem. */
  async writeArchive(ref: string, path: string, tar: Readable, options: ExtractOptions): Promise<void> {
    await this.withRootfs(ref, async (rootfs) => {
      const dir = resolveInRoot(rootfs, path, true);
      const kind = pathKind(dir);
      if (kind !== 'directory') {
        tar.resume();
        throw new StevedoreError(
          kind ? 'INVALID_ARGUMENT' : 'NOT_FOUND',
          kind
            ? `${path} in container ${ref} is not a directory`
            : `Could not find the file ${path} in container ${ref}: no such directory`,
        );
      }
      await extractArchive(rootfs, dir, tar, { ...options, ownerInRoot: true });
    });
  }
}
