import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { RunRequest } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';
import type { commandStartError } from './commandStartError.js';
import { type ContainerRecord, containerPaths, writeRecord } from './containerRecord.js';
import type { Containers } from './containers.js';
import { LogWriter } from './logWriter.js';
import { takePortHold } from './network/portHold.js';
import { processStartTicks } from './processIdentity.js';
import { ociRuntime, runcArgs } from './runc.js';
import { RuncStderr } from './runcStderr.js';
import { handOverTerminal } from './terminalHandOver.js';

/**
 * `stevedore run` without -d: `runc run` in the foreground, a child of this process, with the
 * container's output passed to the terminal and written to its log as conmon would (so `logs`
 * and `ps` see it like any other). One runc process and no monitor: the quickest start there
 * is. With -t the terminal is the container's own, and its output is not logged. Ctrl-C stops
 * the container (its stop signal, then SIGKILL after the grace period); a second one kills it.
 */
export async function runAttached(containers: Containers, request: RunRequest, io?: AttachedOutput): Promise<number> {
  if (io && (request.tty || request.interactive))
    throw new StevedoreError('INVALID_ARGUMENT', 'a run whose output goes elsewhere has no terminal or input: drop -i and -t');
  const out = io ?? processOutput;
  const created = await containers.create(request);
  const prepared = await containers.prepareStart(created).catch(async (err) => {
    if (created.config.autoRemove) await containers.remove(created.id, true);
    throw err;
  });
  for (const note of prepared.network?.notes ?? []) out.stderr(`warning: ${note}\n`);
  // This process supervises the run, so it keeps the published ports taken until the end.
  const ports = takePortHold(prepared.network?.teardown?.leaseId);
  const paths = containerPaths(containers.root, created.id);
  const running: ContainerRecord = {
    ...prepared,
    state: {
      ...prepared.state,
      status: 'running',
      supervisor: 'cli',
      supervisorPid: process.pid,
      startedAt: new Date().toISOString(),
      exitCode: null,
      finishedAt: null,
      error: null,
    },
  };
  const { tty, interactive } = created.config;
  let notStarted: ReturnType<typeof commandStartError>;
  const code = await new Promise<number>((resolve, reject) => {
    const giveTerminalBack = interactive || tty ? handOverTerminal(tty) : () => undefined;
    const child = spawn(ociRuntime(), runcArgs('run', '--bundle', paths.dir, '--pid-file', paths.pidFile, created.id), {
      stdio: [interactive || tty ? 'inherit' : 'ignore', tty ? 'inherit' : 'pipe', 'pipe'],
    });
    // Recorded while runc starts, before anything of its end can be seen (that comes in a later turn).
    writeRecord(containers.root, running);
    containers.startHealthChecks(running);
    containers.noteStarted(running);
    const log = tty ? undefined : new LogWriter(paths.log);
    if (log) relay(child.stdout as Readable, out.stdout, (text) => log.write('stdout', text));
    const stderr = new RuncStderr(child.stderr as Readable, out.stderr, 'run', created.config.args[0] ?? '', (text) =>
      log?.write('stderr', text),
    );
    // Output sent elsewhere (the agent's caller): that caller stops the container; Ctrl-C here is not its.
    const stopInterrupts = io
      ? () => undefined
      : onInterrupt(
          () => {
            process.stderr.write('stopping the container (Ctrl-C again to kill it)\n');
            void containers.stop(created.id).catch(() => undefined);
          },
          () => child.kill('SIGKILL'),
        );
    const recordPid = setTimeout(() => {
      if (!existsSync(paths.pidFile)) return;
      const pid = Number(readFileSync(paths.pidFile, 'utf8'));
      writeRecord(containers.root, { ...running, state: { ...running.state, pid, pidStartTicks: processStartTicks(pid) } });
    }, 100);
    child.on('error', (err) => {
      giveTerminalBack();
      ports?.release();
      reject(new StevedoreError('INTERNAL', `cannot start runc: ${err.message}`));
    });
    child.on('close', (exitCode, signal) => {
      giveTerminalBack();
      stopInterrupts();
      clearTimeout(recordPid);
      log?.end();
      notStarted = stderr.startError();
      resolve(notStarted ? notStarted.exitCode : (exitCode ?? (signal ? 137 : 125)));
    });
  });
  // The exit file is what conmon would have written: every reader learns the end the same way.
  writeFileSync(paths.exitFile, `${code}`);
  try {
    // Its mounts and network go while settling waits for the store lock.
    await containers.settleExit(created.id, containers.releaseEnded(created.id));
  } finally {
    // Only once settling removed the port rules: a port let go before would go to the next
    // listen(0) on the host while the rule still sent its connections to the dead container.
    ports?.release();
  }
  if (notStarted) throw notStarted;
  return code;
}

/** Where a foreground run's output goes: this process's stdout and stderr, or events for a client. */
export interface AttachedOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** This process's own stdout and stderr. */
export const processOutput: AttachedOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Copies a child's output to ours and hands each piece to `also`. */
function relay(from: Readable, to: (text: string) => void, also: (text: string) => void): void {
  from.setEncoding('utf8');
  from.on('data', (text: string) => {
    also(text);
    to(text);
  });
}

function onInterrupt(first: () => void, second: () => void): () => void {
  let count = 0;
  const handler = () => (++count === 1 ? first() : second());
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
