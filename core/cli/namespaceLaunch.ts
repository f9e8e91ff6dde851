import type { RootlessHost } from '../runtime/rootless/rootlessHost.js';
import { resolveRoot } from '../store/layout.js';
import { chooseRuntime } from '../vm/chooseRuntime.js';

/** What the CLI launcher needs to start a command inside the store's user namespace. */
export interface NamespaceLaunch {
  root: string;
  host: RootlessHost;
  reason: string;
}

/**
 * The program's global options (--root, --runtime), which come before the command as commander
 * takes them, and where the command is; null when one lacks its value.
 */
export function globalOptions(args: readonly string[]): { root?: string; runtime?: string; commandIndex: number } | null {
  const global: { root?: string; runtime?: string } = {};
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.split('=', 1)[0] as string;
    if (name !== '--root' && name !== '--runtime') break;
    const value = arg.includes('=') ? arg.slice(name.length + 1) : args[++i];
    if (value === undefined) return null;
    global[name === '--root' ? 'root' : 'runtime'] = value;
  }
  return { ...global, commandIndex: i };
}

/**
 * Whether the command `args` (process.argv after the script) runs rootless and must first enter
 * the store's user namespace, decided before the CLI bundle loads so that the bundle loads once,
 * inside (podman re-executes itself the same way, before its own set-up). Only the program's
 * global options are read (--root and --runtime come before the command, as commander takes
 * them); help and the version need no namespace. Null when the command runs where it is: another
 * runtime, already inside, or anything this does not understand, which the CLI then decides
 * itself (entering the namespace there, or saying what is wrong).
 */
export function namespaceLaunch(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  choose: typeof chooseRuntime = chooseRuntime,
): NamespaceLaunch | null {
  const global = globalOptions(args);
  if (!global) return null;
  const command = args[global.commandIndex];
  if (command === undefined || command.startsWith('-') || command === 'help') return null;
  try {
    const choice = choose({ flag: global.runtime, env: env.STEVEDORE_RUNTIME, canEnterNamespace: true });
    if (choice.kind !== 'rootless' || !choice.rootless) return null;
    return { root: resolveRoot(global.root, env), host: choice.rootless, reason: choice.reason };
  } catch {
    return null;
  }
}
