import { accessSync, constants, statSync } from 'node:fs';
import { StevedoreError } from '../errors.js';

/**
 * Where Debian puts the small inits docker's `--init` stands for (docker ships tini as
 * docker-init): catatonit (podman's), then tini's static build. Static builds only: the init runs
 * inside the image, which may have no C library.
 */
export const INIT_CANDIDATES = [
  '/usr/bin/catatonit',
  '/usr/libexec/podman/catatonit',
  '/usr/bin/tini-static',
  '/usr/bin/docker-init',
];

/** Where the init is mounted in the container, as docker does. */
export const INIT_TARGET = '/sbin/docker-init';

function executableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The init binary for `--init` on this machine: the one `--init-path` names, else the first installed. */
export function findInit(initPath: string | undefined, candidates: readonly string[] = INIT_CANDIDATES): string {
  if (initPath !== undefined) {
    if (!initPath.startsWith('/')) throw new StevedoreError('INVALID_ARGUMENT', `--init-path must be absolute: ${initPath}`);
    if (!executableFile(initPath)) {
      throw new StevedoreError('INVALID_ARGUMENT', `--init-path ${initPath} is not an executable file on the engine’s machine`);
    }
    return initPath;
  }
  const found = candidates.find(executableFile);
  if (!found) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      '--init needs catatonit or tini on the engine’s machine, and neither is installed (apt-get install catatonit, or name one with --init-path)',
    );
  }
  return found;
}

/** The process's arguments behind the init: `docker-init -- CMD…`, which catatonit and tini both take. */
export function behindInit(args: readonly string[]): string[] {
  return [INIT_TARGET, '--', ...args];
}
