import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../system/atomicFile.js';
import { currentBootId, NETWORK_STATE_DIR } from './leaseStore.js';

/**
 * How long a look at the host's firewall is trusted: Stevedore's nftables table there and current,
 * and what the firewall note said (hostFirewall.ts). Listing the chains is an nft process of
 * 14 ms alone and 30–40 ms beside a container's start, on every bridge attach; within this time of
 * the last look, an attach takes the table as it was. Something that removes the table meanwhile
 * (`nft flush ruleset`, a firewall's reload) is repaired at the first attach after it, as before;
 * a port published meanwhile that finds no table repairs it at once (containerNetwork.ts).
 */
export const FIREWALL_CHECK_TTL_MS = 60_000;

const CHECK_FILE = join(NETWORK_STATE_DIR, 'firewall-check.json');

/** The last look: when (ms since the epoch), in which boot, and the note it gave (null: none). */
export interface FirewallCheck {
  bootId: string;
  checkedAt: number;
  note: string | null;
}

/** Whether `check` may stand in for a look now: this boot, within the TTL, not from the future. */
export function isFreshCheck(check: unknown, now: number, bootId: string): check is FirewallCheck {
  if (typeof check !== 'object' || check === null) return false;
  const { bootId: boot, checkedAt, note } = check as Partial<FirewallCheck>;
  return (
    boot === bootId &&
    typeof checkedAt === 'number' &&
    checkedAt <= now &&
    now - checkedAt < FIREWALL_CHECK_TTL_MS &&
    (note === null || typeof note === 'string')
  );
}

/** The last look, if it still stands. */
export function recentFirewallCheck(now = Date.now()): FirewallCheck | undefined {
  try {
    const check: unknown = JSON.parse(readFileSync(CHECK_FILE, 'utf8'));
    return isFreshCheck(check, now, currentBootId()) ? check : undefined;
  } catch {
    return undefined;
  }
}

/** Records a look just taken, once the table is known to be there and current. */
export function recordFirewallCheck(note: string | undefined): void {
  const check: FirewallCheck = { bootId: currentBootId(), checkedAt: Date.now(), note: note ?? null };
  try {
    // Under /run: gone at the next boot anyway.
    writeFileAtomic(CHECK_FILE, JSON.stringify(check), { durable: false });
  } catch {
    // The next attach looks again.
  }
}

/** The table was found missing: the next attach looks at the firewall again. */
export function forgetFirewallCheck(): void {
  rmSync(CHECK_FILE, { force: true });
}
