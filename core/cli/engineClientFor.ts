import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { EngineClient } from '../api/engineClient.js';
import { connectToEngine, type EngineConnection } from '../client/engineConnection.js';
import { dockerConfigDir } from '../registry/credentials.js';
import { fitsRuntimeSettings } from '../runtime/runtimeSettings.js';
import { daemonDisabled, engineSocketPath, socketPathFits } from '../server/endpoint.js';
import { inProcessClient } from '../server/inProcessClient.js';
import { resolveRoot } from '../store/layout.js';
import { engineFor, topLevelName } from './context.js';
import { mayUseRunningEngine } from './inProcessCommands.js';

/** A command's way into the engine, and the end of it (connections let go, so the process can end). */
export interface CliClient extends EngineClient {
  /**
   * Keeps this process alive while it waits on events alone (no call in flight): a connection to
   * a running engine does not hold the process open otherwise. Returns the function that lets go.
   * In-process, the engine's own work holds the process; this holds nothing.
   */
  hold(): () => void;
  close(): void;
}

/**
 * The engine answering on the store root's engine socket (the app, `stevedore ui`,
 * `stevedore daemon`), when this command may use it: the same Docker config (so that a registry
 * call uses the logins of the person running the command), the same runtime settings
 * (STEVEDORE_ROOTFS…), and the runtime asked for, if one was.
 * Undefined otherwise; the check is one `stat` when no engine runs.
 */
async function runningEngine(command: Command, anyCommand = false): Promise<EngineConnection | undefined> {
  if (daemonDisabled(process.env) || (!anyCommand && !mayUseRunningEngine(topLevelName(command)))) return undefined;
  const { root, runtime } = command.optsWithGlobals<{ root?: string; runtime?: string }>();
  const socket = engineSocketPath(resolveRoot(root));
  if (!socketPathFits(socket) || !existsSync(socket)) return undefined;
  const connection = await connectToEngine(socket);
  if (!connection) return undefined;
  let fits = connection.dockerConfig === dockerConfigDir() && fitsRuntimeSettings(connection.runtimeSettings, process.env);
  // A runtime named on the command line or in the environment must be the engine's own.
  const asked = runtime ?? process.env.STEVEDORE_RUNTIME;
  if (fits && asked) {
    const info = await connection.invoke('engine.info', {}).catch(() => undefined);
    fits = info?.ok === true && (info.value as { runtime?: string }).runtime === asked;
  }
  if (fits) return connection;
  connection.close();
  return undefined;
}

/**
 * The running engine of the command's store for part of a command that otherwise runs in-process
 * (inProcessCommands.ts): a foreground `run` without a terminal hands it the container, whose
 * output comes back as events. Undefined when none serves the store, or not with this caller's
 * Docker config and runtime.
 */
export function runningEngineClient(command: Command): Promise<CliClient | undefined> {
  return runningEngine(command, true);
}

/** The engine opened in this process for the command's store, reached through its Router. */
function inProcess(command: Command): CliClient {
  const engine = engineFor(command);
  return { ...inProcessClient(engine), hold: () => () => undefined, close: () => engine.closeConnections() };
}

/**
 * The engine client for a command's store (the global --root, the environment): the running
 * engine of that store when there is one this command may use (see runningEngine and
 * inProcessCommands.ts), else the engine opened in this process. Either way every call goes
 * through a Router, with the same validation, errors and events. `STEVEDORE_NO_DAEMON=1` keeps
 * every command in-process.
 *
 * Chosen at the first call, not here: the choice may wait on a connection, and a command that
 * fails before its first call opens nothing. Listeners subscribed before it are subscribed first.
 */
export function clientFor(command: Command): CliClient {
  let chosen: Promise<CliClient> | undefined;
  const client = () => (chosen ??= runningEngine(command).then((connection) => connection ?? inProcess(command)));
  return {
    invoke: (method, args) => client().then((c) => c.invoke(method, args)),
    subscribe(topic, listener) {
      let stopped = false;
      let off: (() => void) | undefined;
      void client().then(
        (c) => {
          if (!stopped) off = c.subscribe(topic, listener);
        },
        // The same failure reaches the command through its calls.
        () => undefined,
      );
      return () => {
        stopped = true;
        off?.();
      };
    },
    hold() {
      let released = false;
      let release: (() => void) | undefined;
      void client().then(
        (c) => {
          if (!released) release = c.hold();
        },
        () => undefined,
      );
      return () => {
        released = true;
        release?.();
      };
    },
    close() {
      void chosen?.then(
        (c) => c.close(),
        () => undefined,
      );
    },
  };
}
