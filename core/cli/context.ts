import type { Command } from 'commander';
import { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import { resolveRoot } from '../store/layout.js';

/** The engine for the store the global --root (or the environment) names. */
export function engineFor(command: Command): Engine {
  const { root } = command.optsWithGlobals<{ root?: string }>();
  return new Engine(resolveRoot(root));
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** Every command's action runs here: a failure is one `error: …` line and a non-zero exit. */
/** An action may return an exit code; returning nothing means success. */
type ExitCode = number | undefined;

export function action<A extends unknown[]>(fn: (...args: A) => Promise<ExitCode | unknown> | ExitCode | unknown) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number' && code !== 0) process.exitCode = code;
    } catch (err) {
      process.stderr.write(`error: ${describeError(err).message}\n`);
      process.exitCode = 1;
    }
  };
}
