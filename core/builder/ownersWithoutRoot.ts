import { chownSync, lchownSync, type Stats } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Digest } from '../digest/digest.js';
import { indexLayer } from '../layers/layerIndex.js';
import type { Store } from '../store/store.js';
import type { BuiltLayer } from './buildState.js';

export interface Owner {
  uid: number;
  gid: number;
}

/** How COPY's staging gives a staged path its owner (`link`: the link itself, never its target). */
export type SetOwner = (target: string, owner: Owner, link: boolean) => void;

/** As root: chown, so the layer's tar takes the owner from the file. */
export const chownOnDisk: SetOwner = (target, { uid, gid }, link) =>
  link ? lchownSync(target, uid, gid) : chownSync(target, uid, gid);

/**
 * Without root (a user's engine whose RUN steps go to a machine) chown to another user is
 * refused: the owner of each staged path is kept here instead, by its path in `staging`, and the
 * layer's tar headers take it from there (createLayerTar's `owners`).
 */
export function recordedOwners(staging: string): { set: SetOwner; owners: Map<string, Owner> } {
  const owners = new Map<string, Owner>();
  return {
    owners,
    set: (target, owner) => {
      owners.set(relative(staging, target).split(sep).join('/'), owner);
    },
  };
}

/**
 * Who owns each path of the image the layers make, as their tars say: a snapshot unpacked without
 * root has every file as the user's, so its files cannot say. Paths the tars leave out (parents
 * the unpacker made) are root's, as the applier makes them as root.
 */
export async function layerOwners(store: Store, layers: BuiltLayer[]): Promise<Map<string, Owner>> {
  const owners = new Map<string, Owner>();
  const dropBelow = (dir: string, self: boolean) => {
    for (const path of [...owners.keys()]) if (path.startsWith(`${dir}/`) || (self && path === dir)) owners.delete(path);
  };
  for (const layer of layers) {
    const index = await indexLayer(store, layer.descriptor, layer.diffId as Digest);
    for (const dir of index.opaques) dropBelow(dir, false);
    for (const gone of index.whiteouts) dropBelow(gone, true);
    for (const file of index.files) owners.set(file.path, { uid: file.uid, gid: file.gid });
  }
  return owners;
}

/** `info` with the owner the image gives its path (root's where the layers do not name it). */
export function ownedAsImage(info: Stats, path: string, owners: Map<string, Owner>): Stats {
  const owner = owners.get(path) ?? { uid: 0, gid: 0 };
  return Object.assign(Object.create(Object.getPrototypeOf(info) as object) as Stats, info, owner);
}
