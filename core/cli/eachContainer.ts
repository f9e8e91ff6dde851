import type { Command } from 'commander';
import type { EngineClient } from '../api/engineClient.js';
import { print } from './context.js';
import { type CliClient, clientFor } from './engineClientFor.js';

/**
 * One verb applied to each named container, printing its name as docker does; failures each get a
 * line. The engine's client is opened once for them all (on the first container, so that a store
 * it cannot open is that container's failure line, as any other), and closed at the end.
 */
export function eachContainer(
  verb: string,
  run: (client: EngineClient, ref: string) => Promise<unknown>,
): (refs: string[], opts: unknown, cmd: Command) => Promise<number> {
  return async (refs, _opts, cmd) => {
    let client: CliClient | undefined;
    let failed = 0;
    try {
      for (const ref of refs) {
        try {
          client ??= clientFor(cmd);
          await run(client, ref);
          print(ref);
        } catch (err) {
          failed++;
          process.stderr.write(`error: cannot ${verb} ${ref}: ${(err as Error).message}\n`);
        }
      }
    } finally {
      client?.close();
    }
    return failed > 0 ? 1 : 0;
  };
}
