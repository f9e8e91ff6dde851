import { lstatSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MachineError } from './machineError.js';

/**
 * Where a machine keeps its files. Two places: its disk, console log and probe cache under the
 * user's data directory, and its sockets in a private runtime directory, because a unix socket's
 * path must fit in sun_path (108 bytes) and should not outlive a reboot.
 */
export interface MachinePaths {
  name: string;
  dir: string;
  dataDisk: string;
  consoleLog: string;
  /** The accelerator probe's cached answer (accelProbe.ts). */
  acceleratorCache: string;
  /** The runtime directory the machine's own is in ($XDG_RUNTIME_DIR, else one in /tmp). */
  runtimeBase: string;
  runDir: string;
  agentSocket: string;
  qmpSocket: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** sun_path is 108 bytes with its terminating NUL. */
const MAX_SOCKET_PATH = 107;

export function machinePaths(name = 'default', env: { dataHome?: string; runtimeDir?: string } = {}): MachinePaths {
  if (!NAME.test(name))
    throw new MachineError('unsafe-path', `A machine name is 1-32 lowercase letters, digits, - or _, not "${name}".`);
  const dataHome = env.dataHome ?? (process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'));
  const runtime = env.runtimeDir ?? (process.env.XDG_RUNTIME_DIR || join(tmpdir(), `stevedore-${process.getuid?.() ?? 'user'}`));
  const dir = join(dataHome, 'stevedore', 'machines', name);
  const runDir = join(runtime, 'stevedore-vm', name);
  const paths = {
    name,
    dir,
    dataDisk: join(dir, 'data.img'),
    consoleLog: join(dir, 'console.log'),
    acceleratorCache: join(dir, 'accelerator.json'),
    runtimeBase: runtime,
    runDir,
    agentSocket: join(runDir, 'agent.sock'),
    qmpSocket: join(runDir, 'qmp.sock'),
  };
  for (const socket of [paths.agentSocket, paths.qmpSocket]) {
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
      throw new MachineError(
        'unsafe-path',
        `The machine's socket path is longer than a unix socket allows (${MAX_SOCKET_PATH} bytes): ${socket}`,
      );
    }
  }
  return paths;
}

/**
 * Creates the machine's directories, 0700, and refuses a runtime directory someone else made
 * first (in a shared /tmp another user could, to reach the agent's channel or swap the directory
 * under us): every directory from the runtime base down to the sockets' must be a real directory,
 * this user's, and closed to others.
 */
export function prepareMachineDirs(paths: MachinePaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.runDir, { recursive: true, mode: 0o700 });
  for (const dir of [paths.dir, paths.runtimeBase, dirname(paths.runDir), paths.runDir]) {
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
      throw new MachineError(
        'unsafe-path',
        `${dir} must be a directory of this user's, closed to others (mode 0700); it is not, so the machine will not use it.`,
      );
    }
  }
}
