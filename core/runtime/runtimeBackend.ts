import type { ContainerDetail, ContainerSummary, LogChunk, RunRequest } from '../api/containers.schema.js';

/**
 * What the Engine needs from whatever runs containers. On Linux that is `Containers` (runc and
 * conmon on this machine). On macOS and Windows it will be a client of a Stevedore agent inside a
 * Linux VM (lima, WSL2) that runs `Containers` there: every method is plain data in and out, so
 * it crosses a socket as the API contract's `containers.*` calls do, with `logs` long-polled.
 */
export interface RuntimeBackend {
  list(all?: boolean): Promise<ContainerSummary[]>;
  inspect(ref: string): Promise<ContainerDetail>;
  run(request: RunRequest): Promise<ContainerSummary>;
  start(ref: string): Promise<ContainerSummary>;
  stop(ref: string, timeoutSeconds?: number): Promise<ContainerSummary>;
  restart(ref: string, timeoutSeconds?: number): Promise<ContainerSummary>;
  kill(ref: string, signal?: string): Promise<ContainerSummary>;
  remove(ref: string, force?: boolean): Promise<{ id: string }>;
  logs(
    ref: string,
    options: { after?: number | undefined; tail?: number | undefined; follow?: boolean | undefined },
  ): Promise<LogChunk>;
}
