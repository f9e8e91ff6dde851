import { realpathSync } from 'node:fs';
import { StevedoreError } from '../errors.js';
import type { RunRecord } from './machineRun.js';
import { HOST_SHARE_MOUNT } from './qemuCommand.js';

/**
 * A path of the host's as the guest sees it: through the machine's share of the host's files
 * (virtiofs at HOST_SHARE_MOUNT), its links resolved on the host first (an absolute link would
 * otherwise point into the guest's own root). A path not there yet stays as given: it is created
 * through the share, as docker creates a missing host directory. `what` needs the share, and is
 * refused in one line when the machine runs without one.
 */
export function guestPathOf(hostPath: string, share: RunRecord['share'], what: string): string {
  if (!share?.mounted) {
    const why = share && !share.mounted ? share.why : 'the machine was started without a share of the host files';
    throw new StevedoreError('INVALID_ARGUMENT', `${what} through the machine are not available: ${why}`);
  }
  let real = hostPath;
  try {
    real = realpathSync(hostPath);
  } catch {}
  return `${HOST_SHARE_MOUNT}${real}`;
}
