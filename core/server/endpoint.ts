// Where a running engine listens, and whether the CLI may use it. Shared by the engine socket
// (engineSocket.ts, beside it) and, from a layer up, the launcher (dist/cli.cjs) and the thin
// client (core/cli/client/): only node:path is imported, since the launcher runs this before any
// bundle is loaded.
import { join } from 'node:path';

/** The engine socket's file in a store root: same owner, same mode as the store it serves. */
export function engineSocketPath(root: string): string {
  return join(root, 'engine.sock');
}

/**
 * A unix socket's path must fit in sockaddr_un's sun_path: 108 bytes on Linux, 104 on macOS, with
 * the terminating NUL. A root deeper than that has no engine socket (the CLI runs in-process).
 */
export function socketPathFits(path: string): boolean {
  return Buffer.byteLength(path) < (process.platform === 'linux' ? 108 : 104);
}

/** `STEVEDORE_NO_DAEMON=1`: every command runs in-process, even when an engine is running. */
export function daemonDisabled(env: NodeJS.ProcessEnv): boolean {
  const value = env.STEVEDORE_NO_DAEMON;
  return value !== undefined && value !== '' && value !== '0';
}
