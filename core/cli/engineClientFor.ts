import type { Command } from 'commander';
import type { EngineClient } from '../api/engineClient.js';
import { inProcessClient } from '../server/inProcessClient.js';
import { engineFor } from './context.js';

/** A command's way into the engine, and the end of it (connections let go, so the process can end). */
export interface CliClient extends EngineClient {
  close(): void;
}

/**
 * The engine client for a command's store (the global --root, the environment): the engine opened
 * in this process, reached through its Router as every other face reaches it.
 */
export function clientFor(command: Command): CliClient {
  const engine = engineFor(command);
  return { ...inProcessClient(engine), close: () => engine.closeConnections() };
}
