import { existsSync, readFileSync, statSync } from 'node:fs';
import { type ContainerRecord, containerPaths } from './containerRecord.js';
import { isSameProcess } from './processIdentity.js';

/**
 * What the files and the process table say about a container the record calls running: conmon's
 * exit file means it ended (with that code, at that time); no container process and no
 * supervisor left means it vanished (killed from outside, the machine restarted). Returns the
 * record as it should now be, or null when the record is still right.
 */
export function observeExit(root: string, record: ContainerRecord): ContainerRecord | null {
  if (record.state.status !== 'running') return null;
  const { exitFile } = containerPaths(root, record.id);
  if (existsSync(exitFile)) {
    const code = Number.parseInt(readFileSync(exitFile, 'utf8').trim(), 10);
    return {
      ...record,
      state: {
        ...record.state,
        status: 'exited',
        exitCode: Number.isNaN(code) ? null : code,
        finishedAt: statSync(exitFile).mtime.toISOString(),
        error: Number.isNaN(code) ? 'the exit file holds no exit code' : null,
      },
    };
  }
  const { pid, pidStartTicks, supervisorPid } = record.state;
  if (isSameProcess(pid, pidStartTicks) || isSameProcess(supervisorPid, null)) return null;
  return {
    ...record,
    state: {
      ...record.state,
      status: 'exited',
      exitCode: null,
      finishedAt: new Date().toISOString(),
      error: 'the container’s process and its supervisor vanished (killed from outside, or the machine restarted)',
    },
  };
}
