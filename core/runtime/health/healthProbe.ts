import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { Healthcheck, HealthResult } from '../../api/healthcheck.js';
import type { ContainerRecord } from '../containerRecord.js';
import { execInvocation } from '../execProcess.js';
import { ociRuntime } from '../runc.js';

/** docker keeps this much of a check's output (daemon/health.go: maxOutputLen). */
const OUTPUT_BYTES = 4096;

/** The command a check runs: CMD's arguments, or CMD-SHELL's command under /bin/sh -c. */
export function checkCommand(test: string[]): string[] {
  return test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
}

/**
 * One check: `runc exec` of the test with the container's own process (user, env, capabilities),
 * its output kept (stdout and stderr together, as docker), killed at the timeout: exit code -1 then.
 */
export async function probeHealth(root: string, record: ContainerRecord, check: Healthcheck): Promise<HealthResult> {
  const start = new Date().toISOString();
  const { args, processFile } = execInvocation(root, record, { command: checkCommand(check.test), tty: false });
  const pidFile = `${processFile}.pid`;
  // runc exec [options] <id>: the pid file goes before the ID, so the timeout can kill the check itself.
  const withPid = [...args.slice(0, -1), '--pid-file', pidFile, ...args.slice(-1)];
  try {
    const { code, output, timedOut } = await new Promise<{ code: number; output: string; timedOut: boolean }>((resolve) => {
      const child = spawn(ociRuntime(), withPid, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (chunk: Buffer) => {
        if (output.length < OUTPUT_BYTES) output = (output + chunk.toString('utf8')).slice(0, OUTPUT_BYTES);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
        } catch {
          // not started yet, or ended meanwhile
        }
        child.kill('SIGKILL');
      }, check.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ code: 1, output: `cannot run runc: ${err.message}`, timedOut: false });
      });
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode ?? 1, output, timedOut });
      });
    });
    const end = new Date().toISOString();
    if (timedOut) return { start, end, exitCode: -1, output: `Health check exceeded timeout (${check.timeoutMs / 1000}s)` };
    return { start, end, exitCode: code, output };
  } finally {
    rmSync(processFile, { force: true });
    rmSync(pidFile, { force: true });
  }
}
