import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { findCliScript } from '../runtime/cliScript.js';
import { daemonDisabled, engineSocketPath, socketPathFits } from '../server/endpoint.js';

/** How long the engine a rootless command leaves running stays unused before it ends. */
export const ON_DEMAND_IDLE_SECONDS = 300;

/**
 * Commands that are the engine themselves, or that conmon runs for one container: they leave no
 * engine behind. Any other is one a person or a script typed.
 */
const NOT_TYPED = new Set(['daemon', 'ui', 'agent', 'container-cleanup', 'container-healthcheck']);

/**
 * A rootless command, inside the store's user namespace, leaves an engine serving the store when
 * none does (`stevedore daemon --exit-when-idle`, started detached as it ends): the next command
 * then goes through that engine's socket instead of entering the namespace with a second Node
 * (core/cli/launch.ts), as docker's CLI goes through its daemon. It ends after
 * ON_DEMAND_IDLE_SECONDS unused, and gives its socket up to the app or a plain `daemon`
 * (core/server/engineOnDemand.ts). `STEVEDORE_NO_DAEMON=1` starts none.
 *
 * Whether one serves is asked now (a connect to the socket, in the background); the engine is
 * started at this process's exit, so that its start-up does not take the CPU from this command.
 */
export function leaveEngineRunning(command: string, root: string, env: NodeJS.ProcessEnv = process.env): void {
  if (NOT_TYPED.has(command) || daemonDisabled(env)) return;
  const socketPath = engineSocketPath(root);
  const cli = findCliScript();
  if (!cli || !socketPathFits(socketPath)) return;
  let wanted = false;
  const probe = connect(socketPath);
  probe.unref();
  probe.once('connect', () => probe.destroy());
  probe.once('error', (err: NodeJS.ErrnoException) => {
    // No file, or one a crashed engine left: an engine started now replaces it.
    wanted = err.code === 'ENOENT' || err.code === 'ECONNREFUSED';
  });
  process.once('exit', () => {
    if (!wanted) return;
    try {
      const log = openSync(join(root, 'engine-on-demand.log'), 'w', 0o600);
      const daemon = spawn(
        process.execPath,
        [cli, '--root', root, 'daemon', '--exit-when-idle', String(ON_DEMAND_IDLE_SECONDS)],
        { detached: true, stdio: ['ignore', log, log], cwd: '/', env },
      );
      closeSync(log);
      daemon.unref();
    } catch {
      // The next command starts one, or runs in its own process as this one did.
    }
  });
}
