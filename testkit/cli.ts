import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cliPath = join(projectRoot, 'dist', 'cli.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `stevedore` against a store root, as a person would from a shell. */
export function stevedore(root: string, args: string[], input?: string | Buffer): CliResult {
  // node's default of 1 MiB is less than `images --json` of a few thousand images prints.
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], {
    encoding: 'utf8',
    input,
    env: cleanEnv(),
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr || (r.error?.message ?? '') };
}

/** Like `stevedore`, without blocking this process (for servers the test itself runs). */
export function stevedoreAsync(root: string, args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, '--root', root, ...args], { env: cleanEnv() });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function cleanEnv(): NodeJS.ProcessEnv {
  const { STEVEDORE_ROOT: _ignored, ...env } = process.env;
  return env;
}

/** Runs a peer tool (skopeo, umoci); throws with its stderr when it fails. */
export function peer(command: string, args: string[], options: { cwd?: string } = {}): string {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}
