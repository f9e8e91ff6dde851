import type { EngineClient } from '../api/engineClient.js';
import { connectToEngine } from '../client/engineConnection.js';
import { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import type { SecretCipher } from '../registry/sealedCredentials.js';
import { engineSocketPath } from '../server/endpoint.js';
import { startEngineDaemon } from '../server/engineDaemon.js';
import { onDemandEngineServes } from '../server/engineOnDemand.js';
import { serveEngineSocket } from '../server/engineSocket.js';
import { inProcessClient } from '../server/inProcessClient.js';
import { keepCommandShells } from '../system/commandShell.js';
import { chooseRuntime } from '../vm/chooseRuntime.js';
import { runtimeFactory } from '../vm/runtimeChoice.js';
import { daemonClient, type OpenedDaemon } from './daemonClient.js';

/** The engine a long-lived face (the desktop window) shows, and how to let it go when the face ends. */
export interface AppEngine {
  client: EngineClient;
  /** Where the engine runs: in this process, or in `stevedore daemon` (started here, or found running). */
  where: 'in-process' | 'daemon started' | 'daemon found';
  close(): Promise<void>;
}

export interface AppEngineOptions {
  root: string;
  /** How to run the CLI (conmon runs it when a container ends; `daemon` for a rootless engine). */
  cli: string[];
  /** The window's keychain, to seal the logins the app saves (an engine in this process only). */
  secrets?: SecretCipher;
  /** Lines for the face's log: the machine's start, a daemon's output. */
  log: (line: string) => void;
  /** $STEVEDORE_RUNTIME, or the setting. */
  runtime?: string | undefined;
}

/**
 * Opens the engine for a face that lives as long as its process. Native (root on Linux) and the
 * machine run in this process, which also serves the store's engine socket for the CLI. Rootless
 * cannot: a process joins a user namespace only while it has a single thread, and Electron's
 * main process (as any Node process) has several from its start. Then the engine is
 * `stevedore daemon`, whose launcher enters the store's namespace, reached over its engine socket
 * as the CLI reaches it; one already serving the store (the user's own daemon) is used as it is
 * and left running at the end, one started here is stopped. One a command started on demand
 * (core/server/engineOnDemand.ts) is not used: the daemon started here takes its socket.
 */
export async function openAppEngine(options: AppEngineOptions): Promise<AppEngine> {
  const choice = chooseRuntime({ env: options.runtime, canEnterNamespace: true });
  if (choice.kind === 'rootless') return rootlessDaemon(options);
  const runtime = runtimeFactory(choice, options.log);
  // The engine lives as long as the window: its short commands go through long-lived shells.
  keepCommandShells();
  const engine = new Engine(options.root, {
    ...(runtime ? { runtime } : {}),
    runtimeReason: choice.reason,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    cli: options.cli,
  });
  // One client for the window and the engine socket: every call of this face through one Router.
  const client = inProcessClient(engine);
  const stopWatching = engine.watchStore();
  const stopServing = serveEngineSocket(engine, client, options.log);
  return {
    client,
    where: 'in-process',
    close: once(async () => {
      stopWatching();
      engine.close();
      stopServing();
    }),
  };
}

async function rootlessDaemon(options: AppEngineOptions): Promise<AppEngine> {
  const socket = engineSocketPath(options.root);
  let where: AppEngine['where'] | undefined;
  const open = async (): Promise<OpenedDaemon> => {
    // One started on demand by a command gives its socket up to the daemon started here.
    const found = onDemandEngineServes(options.root) ? undefined : await connectToEngine(socket);
    where ??= found ? 'daemon found' : 'daemon started';
    if (found) return { connection: found };
    // Not `--runtime rootless`: the daemon makes the same choice from the same facts, and keeps its
    // reason (what `info` and Settings say), which a flag would turn into "--runtime asks for it".
    const daemon = await startEngineDaemon([...options.cli, '--root', options.root, 'daemon']);
    options.log(`engine: ${daemon.readyLine}`);
    daemon.child.stdout?.on('data', (chunk: Buffer) => logLines(options.log, chunk));
    daemon.child.stderr?.on('data', (chunk: Buffer) => logLines(options.log, chunk));
    const connection = await connectToEngine(daemon.socketPath);
    if (connection) return { connection, stop: () => daemon.stop() };
    await daemon.stop();
    throw new StevedoreError('INTERNAL', `the engine started but does not answer on ${daemon.socketPath}`);
  };
  const client = await daemonClient(open, options.log);
  return { client, where: where ?? 'daemon started', close: client.close };
}

/** `close` may be called by several ends (quit, an error): the first call does the work, the others wait on it. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

function logLines(log: (line: string) => void, chunk: Buffer): void {
  for (const line of chunk.toString().split('\n')) if (line.trim() !== '') log(`engine: ${line}`);
}
