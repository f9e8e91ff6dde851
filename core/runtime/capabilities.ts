import { readFileSync } from 'node:fs';
import { StevedoreError } from '../errors.js';

/** Docker's default capability set (moby oci/caps/defaults.go). */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Linux's capabilities by number (linux/capability.h), as moby's oci/caps lists them. */
const KNOWN_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/**
 * The capabilities a container can be given here: those this kernel has (moby's
 * GetAllCapabilities: up to cap_last_cap) that the engine holds in its own bounding set. A
 * process cannot pass on what it lacks (runc fails "unable to apply caps"), as in a sandbox that
 * runs the engine without CAP_SYS_RESOURCE.
 */
export function allCapabilities(): string[] {
  let last = KNOWN_CAPABILITIES.length - 1;
  let bounding = (1n << 64n) - 1n;
  try {
    last = Number.parseInt(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'), 10);
    const line = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (line?.[1]) bounding = BigInt(`0x${line[1]}`);
  } catch {
    // not Linux's procfs: every capability named here
  }
  return KNOWN_CAPABILITIES.slice(0, Number.isNaN(last) ? undefined : last + 1).filter(
    (_, bit) => (bounding >> BigInt(bit)) & 1n,
  );
}

/** `NET_ADMIN`, `cap_net_admin`, `CAP_NET_ADMIN` alike (moby's NormalizeLegacyCapabilities); ALL stays ALL. */
function normalize(names: readonly string[], flag: string): string[] {
  return names.map((name) => {
    const upper = name.trim().toUpperCase();
    if (upper === 'ALL') return 'ALL';
    const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!KNOWN_CAPABILITIES.includes(full))
      throw new StevedoreError('INVALID_ARGUMENT', `unknown capability in ${flag}: "${name}"`);
    return full;
  });
}

/**
 * The container's capability set as moby's TweakCapabilities makes it: privileged has them all;
 * `--cap-add ALL` all but the dropped; `--cap-drop ALL` only the added; otherwise the defaults less
 * the dropped plus the added.
 */
export function containerCapabilities(capAdd: readonly string[], capDrop: readonly string[], privileged: boolean): string[] {
  const all = allCapabilities();
  if (privileged) return all;
  const add = normalize(capAdd, '--cap-add');
  const drop = normalize(capDrop, '--cap-drop');
  if (add.length === 0 && drop.length === 0) return DEFAULT_CAPABILITIES;
  let caps: string[];
  if (add.includes('ALL')) caps = all.filter((c) => !drop.includes(c));
  else if (drop.includes('ALL')) caps = add;
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add];
  const lacking = add.find((c) => c !== 'ALL' && !all.includes(c));
  if (lacking) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `the engine itself does not hold ${lacking} (its bounding set), so it cannot give it to a container`,
    );
  }
  return [...new Set(caps)].filter((c) => all.includes(c));
}
