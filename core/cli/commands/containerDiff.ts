import type { Engine } from '../../engine.js';
import { StevedoreError } from '../../errors.js';
import { print, printJson } from '../context.js';

/**
 * docker's `diff CONTAINER` (`C /etc`, `A /etc/new`, `D /gone`), when `ref` names a container;
 * false when it names none, so that `diff` goes on to the image diff that keeps the name.
 */
export async function printContainerDiff(engine: Engine, ref: string, json: boolean): Promise<boolean> {
  try {
    await engine.runtime.inspect(ref);
  } catch (err) {
    if (err instanceof StevedoreError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
  const changes = await engine.containerExtras().changes(ref);
  if (json) printJson(changes);
  else if (changes.length > 0) print(changes.map((c) => `${c.kind} ${c.path}`).join('\n'));
  return true;
}
