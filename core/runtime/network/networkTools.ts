import { spawn } from 'node:child_process';
import { StevedoreError } from '../../errors.js';
import { commandShells } from '../../system/commandShell.js';

export interface ToolResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ip` or `nft` to its end, with `input` on its stdin for batches and nft scripts: through
 * the process's command shell where it has one (its arguments quoted, core/system/commandShell.ts),
 * else as a process of its own. Resolves whatever the exit status; a missing program is an error.
 */
export async function tryNetworkTool(command: 'ip' | 'nft', args: string[], input?: string): Promise<ToolResult> {
  const shell = commandShells();
  if (shell) {
    const r = await shell.run([command, ...args], { input: input ?? '', keepStdout: true }).catch((err: Error) => {
      throw new StevedoreError('INTERNAL', `${command} could not be started: ${err.message}`, { cause: err });
    });
    // The shell's own word for a program it cannot find.
    if (r.code === 127) throw new StevedoreError('INTERNAL', notInstalled(command));
    return { ok: r.code === 0, stdout: r.stdout, stderr: r.stderr.trim() };
  }
  return spawnNetworkTool(command, args, input);
}

function notInstalled(command: 'ip' | 'nft'): string {
  return `${command} is not installed (bridge networking needs ${command === 'ip' ? 'iproute2' : 'nftables'})`;
}

function spawnNetworkTool(command: 'ip' | 'nft', args: string[], input?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? notInstalled(command) : `${command} could not be started: ${err.message}`;
      reject(new StevedoreError('INTERNAL', why, { cause: err }));
    });
    child.on('close', (code) => resolve({ ok: code === 0, stdout, stderr: stderr.trim() }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Like tryNetworkTool, but a failure is a StevedoreError saying what was being done and the tool's own words. */
export async function runNetworkTool(command: 'ip' | 'nft', args: string[], what: string, input?: string): Promise<string> {
  const r = await tryNetworkTool(command, args, input);
  if (!r.ok) throw new StevedoreError('INTERNAL', `${what} failed: ${oneLine(r.stderr) || `${command} exited with an error`}`);
  return r.stdout;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}
