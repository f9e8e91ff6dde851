import { printJson } from './context.js';

/**
 * docker's inspect of several objects by name: what is found is printed as one JSON array (in
 * `shape`), each that is not is named on stderr, and the exit code is 1 when any was missing.
 */
export async function inspectEach<T>(
  refs: string[],
  inspect: (ref: string) => Promise<T>,
  shape: (found: T) => unknown,
): Promise<number> {
  const found: unknown[] = [];
  let failed = 0;
  for (const ref of refs) {
    try {
      found.push(shape(await inspect(ref)));
    } catch (err) {
      failed++;
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
  }
  printJson(found);
  return failed > 0 ? 1 : 0;
}
