import { spawnSync } from 'node:child_process';
import { StevedoreError } from '../errors.js';

/** Runs a system tool (cp, mount, mknod) to its end; its stderr becomes the error's sentence. */
export function runTool(command: string, args: string[], what: string): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new StevedoreError('INTERNAL', `${what} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}
