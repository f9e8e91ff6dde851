import { StevedoreError } from '../errors.js';

/** The IPC sysctls docker lets a container set: its own IPC namespace has them (opts.ValidateSysctl). */
const IPC_SYSCTLS = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

/**
 * docker's `--sysctl KEY=VALUE`: only what the container's own namespaces hold, the IPC ones,
 * `fs.mqueue.*` and `net.*` (not with `--network host`, whose namespace is the host's). A later
 * flag for the same key wins. Anything else is refused in one line, as docker refuses it.
 */
export function parseSysctls(texts: readonly string[], hostNetwork: boolean): Record<string, string> {
  const sysctls: Record<string, string> = {};
  for (const text of texts) {
    const at = text.indexOf('=');
    const key = at < 0 ? '' : text.slice(0, at).trim();
    if (!/^[a-z0-9_]+(\.[a-zA-Z0-9_*-]+)+$/.test(key)) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `invalid --sysctl "${text}": expected KEY=VALUE, such as net.ipv4.ip_forward=1`,
      );
    }
    const namespaced = IPC_SYSCTLS.has(key) || key.startsWith('fs.mqueue.') || key.startsWith('net.');
    if (!namespaced) throw new StevedoreError('INVALID_ARGUMENT', `sysctl '${key}' is not allowed: it is not namespaced`);
    if (key.startsWith('net.') && hostNetwork) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `sysctl '${key}' is not allowed with --network host: the namespace is the host’s`,
      );
    }
    sysctls[key] = text.slice(at + 1);
  }
  return sysctls;
}
