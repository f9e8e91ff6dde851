import type { Command, CommanderError } from 'commander';
import { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import { resolveRoot } from '../store/layout.js';
import { chooseRuntime, enterRuntime, runtimeFactory } from '../vm/runtimeChoice.js';
import { leaveEngineRunning } from './engineAutoStart.js';

/**
 * The engine for the store the global --root (or the environment) names, driving the runtime
 * --runtime (or $STEVEDORE_RUNTIME, or the host) chooses. A machine started on demand says so on stderr.
 */
export function engineFor(command: Command, options: { exitNotices?: boolean } = {}): Engine {
  const { root, runtime } = command.optsWithGlobals<{ root?: string; runtime?: string }>();
  const storeRoot = resolveRoot(root);
  // Rootless: the command runs again inside the store's user namespace, and this one ends there.
  const asked = { flag: runtime, env: process.env.STEVEDORE_RUNTIME, canEnterNamespace: true };
  const choice = enterRuntime(chooseRuntime(asked), storeRoot);
  if (choice.kind === 'rootless') leaveEngineRunning(topLevelName(command), storeRoot);
  const factory = runtimeFactory(choice, (line) => process.stderr.write(`${line}\n`));
  return new Engine(storeRoot, { ...options, ...(factory ? { runtime: factory } : {}), runtimeReason: choice.reason });
}

/** The top-level command `command` belongs to: `volume` for `volume create`, `ps` for `ps`. */
export function topLevelName(command: Command): string {
  let top = command;
  while (top.parent?.parent) top = top.parent;
  return top.name();
}

/** commander's collector for a repeatable option: `-e A=1 -e B=2` → ['A=1', 'B=2']. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** One line each; nothing at all for none (docker's `-q` of an empty list prints no empty line). */
export function printLines(lines: string[]): void {
  if (lines.length > 0) print(lines.join('\n'));
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** An action may return an exit code; returning nothing means success. */
type ExitCode = number | undefined;

export interface ActionOptions {
  /** The exit code of a failure that names none of its own (an `exitCode` on the error); 1 unless said. */
  failureCode?: number;
}

/**
 * Every command's action runs here: a failure is one `error: …` line and a non-zero exit, the
 * error's own `exitCode` if it carries one (docker's 127 for a command not in the image), else
 * `failureCode`.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<ExitCode | unknown> | ExitCode | unknown,
  options: ActionOptions = {},
) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number' && code !== 0) process.exitCode = code;
    } catch (err) {
      process.stderr.write(`error: ${describeError(err).message}\n`);
      const own = (err as { exitCode?: unknown } | null | undefined)?.exitCode;
      process.exitCode = typeof own === 'number' ? own : (options.failureCode ?? 1);
    }
  };
}

/**
 * docker's exit code for a mistake in how `run` or `exec` was typed (an unknown flag, a missing
 * argument): 125, as for the engine's own failures, so a script can tell them from the container's
 * codes. Help still exits 0.
 */
export function exitOnUsageError(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? 0 : 125);
}
