import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { type ContainerRecord, containerPaths } from './containerRecord.js';
import { mergeEnv } from './imageProcess.js';
import { writePrivateFile } from './privateFile.js';
import { confined, underKernelMount } from './rootfsSetup.js';
import { runcArgs } from './runc.js';
import type { ExecRequest } from './runtimeBackend.js';
import { parseSpecText, specText } from './ulimits.js';
import { resolveUser, withAddedGroups } from './userLookup.js';

/**
 * `exec -w DIR`: the directory as the container sees it, resolved inside its rootfs (never through
 * a link out, never a kernel filesystem: CVE-2024-21626). Unlike `run -w` it is not created: docker
 * refuses a missing one.
 */
function execWorkdir(rootfs: string, workdir: string): string {
  if (!workdir.startsWith('/')) throw new StevedoreError('INVALID_ARGUMENT', `the working directory ${workdir} must be absolute`);
  const cwd = confined(rootfs, workdir);
  if (underKernelMount(cwd.inside)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `refusing the working directory ${workdir}: it lies in ${cwd.inside}, a kernel filesystem`,
    );
  }
  return cwd.inside;
}

/**
 * `runc exec` of `command` in a running container: the process (user, env, working directory,
 * capabilities, no-new-privileges) is the container's own, from its config.json, with the command
 * and the terminal swapped in, and the user (`-u`, looked up in the container's /etc/passwd and
 * /etc/group) and working directory (`-w`) when given. Returns runc's arguments and the process
 * file to delete afterwards.
 */
export function execInvocation(
  root: string,
  record: ContainerRecord,
  request: Pick<ExecRequest, 'command' | 'tty' | 'env' | 'user' | 'workdir' | 'detach'>,
): { args: string[]; processFile: string } {
  if (record.state.status !== 'running') {
    throw new StevedoreError('CONFLICT', `container ${record.name} is not running`);
  }
  // A process that joins a frozen cgroup is frozen too: runc exec would hang (docker refuses it the same way).
  if (record.state.paused) {
    throw new StevedoreError('CONFLICT', `Container ${record.id} is paused, unpause the container before exec`);
  }
  if (request.command.length === 0) throw new StevedoreError('INVALID_ARGUMENT', 'exec needs a command');
  const paths = containerPaths(root, record.id);
  const spec = parseSpecText(readFileSync(paths.spec, 'utf8')) as { process: { env: string[] } & Record<string, unknown> };
  const env = mergeEnv(spec.process.env, request.tty ? ['TERM=xterm-256color'] : [], request.env ?? []);
  // As docker's exec: `--group-add`'s groups come with a user given too.
  const user =
    request.user === undefined
      ? {}
      : { user: withAddedGroups(paths.rootfs, resolveUser(paths.rootfs, request.user), record.config.options.groupAdd) };
  const cwd = request.workdir === undefined ? {} : { cwd: execWorkdir(paths.rootfs, request.workdir) };
  const processFile = join(paths.dir, `exec-${randomBytes(6).toString('hex')}.json`);
  // The process holds the container's env, -e values included: 0600 like config.json.
  writePrivateFile(
    processFile,
    specText({ ...spec.process, ...user, ...cwd, args: request.command, env, terminal: request.tty }),
  );
  const flags = [...(request.tty ? ['-t'] : []), ...(request.detach ? ['--detach'] : [])];
  return { args: runcArgs('exec', ...flags, '--process', processFile, record.id), processFile };
}
