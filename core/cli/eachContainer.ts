import type { Command } from 'commander';
import type { Engine } from '../engine.js';
import { engineFor, print } from './context.js';

/**
 * One verb applied to each named container, printing its name as docker does; failures each get a
 * line. The engine is opened once for them all (on the first container, so that a store it cannot
 * open is that container's failure line, as any other).
 */
export function eachContainer(
  verb: string,
  run: (engine: Engine, ref: string) => Promise<unknown>,
): (refs: string[], opts: unknown, cmd: Command) => Promise<number> {
  return async (refs, _opts, cmd) => {
    let engine: Engine | undefined;
    let failed = 0;
    for (const ref of refs) {
      try {
        engine ??= engineFor(cmd);
        await run(engine, ref);
        print(ref);
      } catch (err) {
        failed++;
        process.stderr.write(`error: cannot ${verb} ${ref}: ${(err as Error).message}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  };
}
