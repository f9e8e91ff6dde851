// The command lines the thin client (core/cli/client/main.ts) runs through a running engine:
// `pull` and `push` with the options the API contract can carry. Parsed by hand, not by commander:
// the launcher parses before it loads any bundle, and commander costs about 5 ms to load (its
// source and its compile), a tenth of what the client saves. Anything this does not fully
// understand (help, an unknown or malformed option, a missing or extra argument, a value the
// contract would refuse) is left to the full CLI, so that commander's messages stay its own.

import { daemonDisabled, engineSocketPath, socketPathFits } from '../../server/endpoint.js';
import { resolveRoot } from '../../store/layout.js';

interface Common {
  /** The store root, resolved as the full CLI resolves it (`--root`, `$STEVEDORE_ROOT`, the default). */
  root: string;
  /** `<root>/engine.sock`. */
  socket: string;
  insecure: boolean;
}

export interface PullRequest extends Common {
  command: 'pull';
  ref: string;
  platform: string | undefined;
  allPlatforms: boolean;
}

export interface PushRequest extends Common {
  command: 'push';
  local: string;
  remote: string | undefined;
}

export type ClientRequest = PullRequest | PushRequest;

/** The options each command takes (see core/cli/commands/registry.ts), with whether they take a value. */
const OPTIONS = {
  pull: { '--platform': true, '--all-platforms': false, '--insecure': false },
  push: { '--insecure': false },
} as const satisfies Record<ClientRequest['command'], Record<string, boolean>>;

/**
 * `args` is process.argv without node and the script. Undefined unless the command is `pull` or
 * `push`, parsed without doubt, with an engine socket to try.
 */
export function parseClientArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ClientRequest | undefined {
  if (daemonDisabled(env)) return undefined;
  // Global options: only --root (the program's options are positional: they come before the command).
  let rootOption: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--root') {
      if (i + 1 >= args.length) return undefined;
      rootOption = args[++i];
    } else if (arg.startsWith('--root=')) {
      rootOption = arg.slice('--root='.length);
    } else break;
  }
  const command = args[i];
  if (command !== 'pull' && command !== 'push') return undefined;
  const takes: Record<string, boolean> = OPTIONS[command];
  const values = new Map<string, string | true>();
  const operands: string[] = [];
  for (i++; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    // Commander reads `-` alone as an operand, anything else that starts with a dash as an option.
    if (arg.length < 2 || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!Object.hasOwn(takes, name)) return undefined;
    if (takes[name]) {
      if (eq > 0) values.set(name, arg.slice(eq + 1));
      else if (i + 1 < args.length) values.set(name, args[++i]!);
      else return undefined;
    } else {
      if (eq > 0) return undefined;
      values.set(name, true);
    }
  }
  const root = resolveRoot(rootOption, env);
  const socket = engineSocketPath(root);
  if (!socketPathFits(socket)) return undefined;
  const insecure = values.get('--insecure') === true;
  // The contract refuses empty strings where the full CLI reads an empty value as "not given".
  if (operands.some((o) => o === '')) return undefined;
  if (command === 'pull') {
    const platform = values.get('--platform');
    if (operands.length !== 1 || platform === '') return undefined;
    return {
      command,
      root,
      socket,
      insecure,
      ref: operands[0]!,
      platform: typeof platform === 'string' ? platform : undefined,
      allPlatforms: values.get('--all-platforms') === true,
    };
  }
  if (operands.length < 1 || operands.length > 2) return undefined;
  return { command, root, socket, insecure, local: operands[0]!, remote: operands[1] };
}
