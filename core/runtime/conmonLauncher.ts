import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { commandStartError } from './commandStartError.js';
import { type ContainerRecord, containerPaths } from './containerRecord.js';
import { takePortHold } from './network/portHold.js';
import { startPortKeeper } from './network/portKeeper.js';
import { runc, runcArgs, runcMessage, runcPath } from './runc.js';

export interface Launched {
  pid: number;
  conmonPid: number;
}

/** What conmon writes on its sync pipe once `runc create` is done: the pid, or a failure. */
function parseSync(text: string): { pid: number } | { failure: string } {
  const message = JSON.parse(text) as { data?: number; message?: string };
  if (typeof message.data === 'number' && message.data > 0) return { pid: message.data };
  return { failure: runcMessage(message.message ?? 'the runtime failed') };
}

/**
 * Creates the container under conmon, podman's monitor: conmon double-forks away from us, runs
 * `runc create`, holds the container's stdio (or its terminal), writes the k8s-file log, and when
 * the container ends writes its exit code to `<bundle>/exit` and runs `exitCommand` (our cleanup).
 * conmon is a small C program (a few MB per container), so nothing of Node's stays behind. The
 * process waits for startContainer: the caller records it as running first, so that an exit command
 * never finds the record of the run before.
 */
export async function launchUnderConmon(root: string, record: ContainerRecord, exitCommand: string[]): Promise<Launched> {
  const paths = containerPaths(root, record.id);
  const runDir = join(root, 'run');
  for (const d of ['exits', 'sockets']) mkdirSync(join(runDir, d), { recursive: true });
  const [command, ...commandArgs] = exitCommand;
  const args = [
    '--api-version',
    '1',
    '-c',
    record.id,
    '-u',
    record.id,
    '-n',
    record.name,
    '-r',
    runcPath(),
    ...runcArgs().flatMap((option) => ['--runtime-arg', option]),
    '-b',
    paths.dir,
    '-p',
    paths.pidFile,
    '-P',
    paths.conmonPidFile,
    '-l',
    `k8s-file:${paths.log}`,
    '--exit-dir',
    join(runDir, 'exits'),
    '--persist-dir',
    paths.dir,
    '--socket-dir-path',
    join(runDir, 'sockets'),
    ...(record.config.tty ? ['-t'] : []),
    // `-i`: a pipe for stdin that `attach` writes to through conmon's attach socket (<bundle>/attach);
    // left open when an attach ends, as docker's `run -d -i` (StdinOnce false), so a later attach still
    // has it; closed then for `create -i` (StdinOnce) without a terminal, as docker's.
    ...(record.config.interactive ? ['-i'] : []),
    ...(record.config.interactive && (!record.config.stdinOnce || record.config.tty) ? ['--leave-stdin-open'] : []),
    ...(command ? ['--exit-command', command, ...commandArgs.flatMap((a) => ['--exit-command-arg', a])] : []),
  ];
  // The sockets holding the published ports go to a keeper of their own (./network/portKeeper.ts),
  // which the network's teardown ends once the rules are gone; conmon lets go of them too early.
  const leaseId = record.network?.teardown?.leaseId;
  const ports = takePortHold(leaseId);
  if (leaseId && ports) startPortKeeper(leaseId, ports);
  const pid = await new Promise<number>((resolve, reject) => {
    const child = spawn('conmon', args, {
      // conmon writes a file named "oom" in its working directory (besides its persist dir) when the
      // kernel kills the container for memory: in the container's directory, that is the same file.
      cwd: paths.dir,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      detached: true,
    });
    let sync = '';
    let stderr = '';
    const done = (settle: () => void) => {
      child.stdio[3]?.destroy();
      child.stderr?.destroy();
      child.unref();
      settle();
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      // spawn says ENOENT for a working directory that is not there too.
      const missing = err.code === 'ENOENT' && existsSync(paths.dir);
      reject(
        missing
          ? new StevedoreError('NOT_FOUND', 'cannot start conmon: it is not installed (Debian: apt-get install conmon)')
          : new StevedoreError('INTERNAL', `cannot start conmon: ${err.message}`),
      );
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      sync += chunk.toString();
      const line = sync.indexOf('\n');
      if (line === -1) return;
      const result = parseSync(sync.slice(0, line));
      done(() =>
        'pid' in result
          ? resolve(result.pid)
          : reject(
              commandStartError(result.failure, 'run', record.config.args[0]) ??
                new StevedoreError('INTERNAL', `cannot create the container: ${result.failure}`),
            ),
      );
    });
    child.stdio[3]?.on('end', () => {
      if (!sync.includes('\n')) {
        done(() =>
          reject(
            new StevedoreError(
              'INTERNAL',
              `conmon ended before the container was created: ${stderr.trim() || 'no reason given'}`,
            ),
          ),
        );
      }
    });
  });
  const conmonPid = Number(readFileSync(paths.conmonPidFile, 'utf8'));
  return { pid, conmonPid };
}

/** Lets a container that launchUnderConmon created run its process (`runc start`). */
export async function startContainer(id: string): Promise<void> {
  await runc(['start', id], 'cannot start the container');
}

/** Whether `pid` is still conmon supervising container `id` (a later process given the pid is not). */
function conmonOf(pid: number, id: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return basename(args[0] ?? '') === 'conmon' && args.includes(id);
  } catch {
    return false;
  }
}

/**
 * Waits, up to `timeoutMs`, for container `id`'s conmon to leave. conmon runs the exit command
 * when the container ends and waits for it, so once it is gone nothing of the container runs that
 * could still write to the store (docker's rm returns when the container is gone for good).
 */
export async function conmonEnded(pid: number, id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (conmonOf(pid, id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
