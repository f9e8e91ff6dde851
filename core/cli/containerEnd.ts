import { call, type EngineClient } from '../api/engineClient.js';

/**
 * Waits for a container to end and gives its exit code, as docker's `wait` and `attach` do.
 * Following its log is the wait: the engine answers when the log grows or the container ends, and
 * tells the exit code with the end, because a --rm container is gone right after. A paused
 * container's log does not move, so it is looked at again every quarter second.
 */
export async function exitCodeWhenEnded(client: EngineClient, ref: string): Promise<number> {
  let state = await call(client, 'containers.inspect', { id: ref });
  let cursor: number | undefined;
  while (state.state === 'running' || state.state === 'paused') {
    if (state.state === 'paused') {
      await new Promise((resolve) => setTimeout(resolve, 250));
    } else {
      // By ID: a --rm container's name is free again the moment it is gone.
      const where = cursor !== undefined ? { after: cursor } : { tail: 0 };
      const chunk = await call(client, 'containers.logs', { id: state.id, ...where, follow: true });
      cursor = chunk.cursor;
      if (chunk.ended) return chunk.exitCode ?? 0;
    }
    state = await call(client, 'containers.inspect', { id: state.id });
  }
  return state.exitCode ?? 0;
}
