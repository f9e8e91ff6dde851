import type { Command } from 'commander';
import type { EngineClient } from '../api/engineClient.js';
import { clientFor } from './engineClientFor.js';

/**
 * A command's work through its engine client (the one way into the engine: the Router's
 * validation, errors and events, in-process or over the engine socket), closed at the end so that
 * a socket's connection does not keep the process alive.
 */
export async function withClient<T>(command: Command, work: (client: EngineClient) => Promise<T>): Promise<T> {
  const client = clientFor(command);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}
