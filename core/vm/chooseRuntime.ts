import { StevedoreError } from '../errors.js';
import { joinedHolder } from '../runtime/rootless/namespaceEntry.js';
import { type RootlessHost, rootlessHost } from '../runtime/rootless/rootlessHost.js';
import type { RuntimeKind } from '../runtime/runtimeBackend.js';

// Which runtime runs containers, and why. Kept apart from the runtimes themselves
// (runtimeChoice.ts builds them) so that the CLI launcher can decide it before the bundle loads.

export interface RuntimeChoice {
  kind: RuntimeKind;
  /** Why this one, and why not the others, for `info` and the app's Settings. */
  reason: string;
  /** For `rootless`: the user's facts, to make its namespace with (absent once inside it). */
  rootless?: RootlessHost;
}

const KINDS: RuntimeKind[] = ['native', 'rootless', 'vm'];

export interface HostFacts {
  platform: NodeJS.Platform;
  uid: number;
  /** Whether this process already runs in a rootless namespace of Stevedore's (root there, not on the host). */
  inRootlessNamespace?: boolean;
  /** The user's user-namespace facts, asked only when they matter. */
  rootless?: () => RootlessHost;
}

/**
 * Which runtime an engine drives: `--runtime`, else $STEVEDORE_RUNTIME, else native when the
 * engine runs as root on Linux (runc needs root), rootless for anyone else on Linux where user
 * namespaces work (with one id only, and a warning, when /etc/subuid gives the user no range),
 * and a machine otherwise. `rootless` is offered only to faces that can re-run themselves in its
 * namespace (`canEnterNamespace`: the CLI, `ui` and `daemon`, and the desktop app through a daemon).
 */
export function chooseRuntime(
  asked: { flag?: string | undefined; env?: string | undefined; canEnterNamespace?: boolean },
  host: HostFacts = hostFacts(),
): RuntimeChoice {
  const facts = memo(host.rootless ?? (() => rootlessHost(host.uid)));
  for (const [value, source] of [
    [asked.flag, '--runtime'],
    [asked.env, 'STEVEDORE_RUNTIME'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (!KINDS.includes(value as RuntimeKind))
      throw new StevedoreError('INVALID_ARGUMENT', `invalid runtime "${value}" (${source}): use native, rootless or vm`);
    const kind = value as RuntimeKind;
    if (kind !== 'rootless') return { kind, reason: `${source} asks for it` };
    if (host.inRootlessNamespace) return { kind, reason: `${source} asks for it` };
    if (!asked.canEnterNamespace)
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `the rootless runtime (${source}) runs from the CLI, \`stevedore ui\` and \`stevedore daemon\`; this face cannot enter its user namespace yet`,
      );
    if (host.platform !== 'linux' || host.uid === 0)
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `the rootless runtime is for a normal user on Linux (${source}); ${host.uid === 0 ? 'root runs containers natively' : `this is ${host.platform}`}`,
      );
    return { kind, reason: `${source} asks for it`, rootless: facts() };
  }
  if (host.platform !== 'linux') return { kind: 'vm', reason: `containers need Linux, and this is ${host.platform}` };
  if (host.inRootlessNamespace) return { kind: 'rootless', reason: 'the engine runs in its rootless user namespace' };
  if (host.uid === 0) return { kind: 'native', reason: 'the engine runs as root on Linux' };
  const notNative = `the engine runs as uid ${host.uid}, and native runc needs root`;
  if (!asked.canEnterNamespace)
    return { kind: 'vm', reason: `${notNative}; this face cannot enter a user namespace for rootless containers yet` };
  const rootless = facts();
  if (rootless.blocker) return { kind: 'vm', reason: `${notNative}, and rootless cannot run: ${rootless.blocker}` };
  const ids = rootless.range
    ? `/etc/subuid and /etc/subgid give it ${rootless.range.uid.count} ids`
    : 'warning: /etc/subuid and /etc/subgid give it no range, so a container has one id (root): -u with another user and chown fail (usermod --add-subuids/--add-subgids gives a range)';
  // What works less than it could, each with its fix (the network is pasta's, see rootlessHost.ts).
  const network = rootless.network ? `; warning: ${rootless.network}, so containers get no network and -p is refused` : '';
  return { kind: 'rootless', reason: `${notNative}; user namespaces work (${ids}); a machine is not needed${network}`, rootless };
}

function memo<T>(fn: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: fn() };
    return value.v;
  };
}

function hostFacts(): HostFacts {
  return { platform: process.platform, uid: process.getuid?.() ?? -1, inRootlessNamespace: joinedHolder() };
}
