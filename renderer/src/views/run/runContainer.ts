import type { ContainerSummary, RunRequest } from '../../../../core/api/containers.schema';
import { invoke } from '../../api/client';

/** How far the engine's clock may be behind this page's (the same host, in practice) when matching a leftover. */
const CLOCK_SLACK_MS = 2_000;

/**
 * containers.run, all or nothing. The engine does what `docker run` does: a container it created
 * but could not start (a port in use, a volume path missing) stays behind as `created`. From a
 * dialog, that leftover would only block the retry with "the name is already in use"; so when a
 * named run fails, the container this very call created (that name, never started, created
 * since the call) is removed before the error is shown. An unnamed one blocks nothing and is left
 * in the list, where it can be started once the cause is fixed.
 */
export async function runContainer(request: RunRequest): Promise<ContainerSummary> {
  const asked = Date.now();
  try {
    return await invoke('containers.run', request);
  } catch (err) {
    if (request.name !== undefined) await removeLeftover(request.name, asked).catch(() => {});
    throw err;
  }
}

async function removeLeftover(name: string, asked: number): Promise<void> {
  const all = await invoke('containers.list', { all: true });
  const leftover = all.find(
    (c) => c.name === name && c.state === 'created' && c.startedAt === null && Date.parse(c.created) >= asked - CLOCK_SLACK_MS,
  );
  if (leftover) await invoke('containers.remove', { id: leftover.id });
}
