import type { RuntimeContext } from '../engine.js';
import { StevedoreError } from '../errors.js';
import type { RuntimeBackend, RuntimeKind } from '../runtime/runtimeBackend.js';
import { machinePaths } from './machinePaths.js';
import { VmRuntime } from './vmRuntime.js';

export interface RuntimeChoice {
  kind: RuntimeKind;
  /** Why this one, for `info` and the app's Settings. */
  reason: string;
}

const KINDS: RuntimeKind[] = ['native', 'vm'];

/**
 * Which runtime an engine drives: `--runtime`, else $STEVEDORE_RUNTIME, else native when the
 * engine runs as root on Linux (runc needs root) and a machine otherwise.
 */
export function chooseRuntime(asked: { flag?: string | undefined; env?: string | undefined }, host = hostFacts()): RuntimeChoice {
  for (const [value, source] of [
    [asked.flag, '--runtime'],
    [asked.env, 'STEVEDORE_RUNTIME'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (!KINDS.includes(value as RuntimeKind))
      throw new StevedoreError('INVALID_ARGUMENT', `invalid runtime "${value}" (${source}): use native or vm`);
    return { kind: value as RuntimeKind, reason: `${source} asks for it` };
  }
  if (host.platform !== 'linux') return { kind: 'vm', reason: `containers need Linux, and this is ${host.platform}` };
  if (host.uid !== 0) return { kind: 'vm', reason: `the engine runs as uid ${host.uid}, and runc on this machine needs root` };
  return { kind: 'native', reason: 'the engine runs as root on Linux' };
}

function hostFacts(): { platform: NodeJS.Platform; uid: number } {
  return { platform: process.platform, uid: process.getuid?.() ?? -1 };
}

/** The Engine's `runtime` option for a choice: the machine named `default` under the store's root. */
export function runtimeFactory(
  choice: RuntimeChoice,
  notify: (line: string) => void,
): ((context: RuntimeContext) => RuntimeBackend) | undefined {
  if (choice.kind === 'native') return undefined;
  return ({ engine, changed }) => new VmRuntime({ engine, paths: machinePaths(engine.store.root), notify, changed });
}
