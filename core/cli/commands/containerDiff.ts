import { call, type EngineClient } from '../../api/engineClient.js';
import { StevedoreError } from '../../errors.js';
import { print, printJson } from '../context.js';

/**
 * docker's `diff CONTAINER` (`C /etc`, `A /etc/new`, `D /gone`), when `ref` names a container;
 * false when it names none, so that `diff` goes on to the image diff that keeps the name.
 */
export async function printContainerDiff(client: EngineClient, ref: string, json: boolean): Promise<boolean> {
  try {
    await call(client, 'containers.inspect', { id: ref });
  } catch (err) {
    if (err instanceof StevedoreError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
  const changes = await call(client, 'containers.diff', { id: ref });
  if (json) printJson(changes);
  else if (changes.length > 0) print(changes.map((c) => `${c.kind} ${c.path}`).join('\n'));
  return true;
}
