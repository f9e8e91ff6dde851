import { statSync } from 'node:fs';
import { StevedoreError } from '../errors.js';
import type { RunMount } from './dockerfile/runMount.js';

/**
 * `--ssh ID[=SOCKET]` as buildx reads it: `default` (or any id without a path) is the agent at
 * $SSH_AUTH_SOCK, `ID=SOCKET` another agent's socket. Key files (which buildx serves from an
 * agent of its own) are not taken: give an agent socket.
 */
export function readSshFlag(spec: string, env: NodeJS.ProcessEnv = process.env): { id: string; socket: string } {
  const eq = spec.indexOf('=');
  const id = eq === -1 ? spec : spec.slice(0, eq);
  if (id === '') throw new StevedoreError('INVALID_ARGUMENT', `invalid --ssh "${spec}": expected default or ID=SOCKET`);
  const socket = eq === -1 ? env.SSH_AUTH_SOCK : spec.slice(eq + 1);
  if (!socket) {
    throw new StevedoreError('INVALID_ARGUMENT', `--ssh ${id}: SSH_AUTH_SOCK is not set; start ssh-agent or give ${id}=SOCKET`);
  }
  let isSocket = false;
  try {
    isSocket = statSync(socket).isSocket();
  } catch (err) {
    throw new StevedoreError('NOT_FOUND', `--ssh ${id}: cannot use ${socket}: ${(err as NodeJS.ErrnoException).code}`);
  }
  if (!isSocket) {
    throw new StevedoreError('INVALID_ARGUMENT', `--ssh ${id}: ${socket} is not an agent's socket (key files are not supported)`);
  }
  return { id, socket };
}

/** Where a `RUN --mount=type=ssh` puts the agent, as BuildKit's frontend and LLB have it. */
export interface SshUse {
  id: string;
  target: string;
  required: boolean;
}

/** The id defaults to `default`, the target to `/run/buildkit/ssh_agent.N` (N counting the step's ssh mounts). */
export function sshUse(mount: Pick<RunMount, 'id' | 'target' | 'required'>, n: number): SshUse {
  return { id: mount.id ?? 'default', target: mount.target ?? `/run/buildkit/ssh_agent.${n}`, required: mount.required === true };
}
