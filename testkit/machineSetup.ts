import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../core/version.js';
import { findQemu } from '../core/vm/qemuBinary.js';
import { buildGuest } from '../guest/buildGuest.js';
import { stevedore } from './cli.js';
import { loadBoxImage } from './containerImages.js';
import { type NormalUser, stevedoreAs, userDir } from './normalUser.js';

/**
 * Why a test of containers through a machine as a normal user cannot run here ('' when it can):
 * no QEMU at all, or a suite that is not root and so cannot make its user. Printed by the caller.
 */
export function machineTestSkipReason(): string {
  try {
    findQemu();
  } catch (err) {
    return (err as Error).message;
  }
  return process.getuid?.() === 0 ? '' : 'the suite runs as root to create its normal user';
}

export const GUEST_REF = `localhost/stevedore/guest:${VERSION}`;

/**
 * A store of `user`'s at `<work>/store` holding the guest image and `box:v1`, made by root (the
 * guest's build cache is root's) and handed over as archives, as a packaged app ships or fetches
 * its guest image. With `init`, the machine is made too (not started).
 */
export async function userStoreWithGuest(user: NormalUser, work: string, options: { init?: boolean } = {}): Promise<string> {
  const staging = join(work, 'staging');
  buildGuest({ log: (line) => console.log(`# guest: ${line}`) });
  const init = stevedore(staging, ['machine', 'init']);
  assert.equal(init.code, 0, init.stderr);
  await loadBoxImage(staging, join(work, 'box-work'));
  for (const [ref, file] of [
    [GUEST_REF, 'guest.tar'],
    ['box:v1', 'box.tar'],
  ] as const) {
    const saved = stevedore(staging, ['save', ref, '-o', join(work, file)]);
    assert.equal(saved.code, 0, saved.stderr);
    chmodSync(join(work, file), 0o644);
  }
  stevedore(staging, ['machine', 'rm', '-f']);
  const root = userDir(user, join(work, 'store'));
  for (const file of ['guest.tar', 'box.tar']) {
    const loaded = stevedoreAs(user, root, ['load', '-i', join(work, file)]);
    assert.equal(loaded.code, 0, loaded.stderr);
  }
  if (options.init) {
    const made = stevedoreAs(user, root, ['machine', 'init', '--image', GUEST_REF, '--memory', '1024']);
    assert.equal(made.code, 0, made.stderr);
  }
  return root;
}
