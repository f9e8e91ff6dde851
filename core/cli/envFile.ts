import { readFileSync } from 'node:fs';
import { StevedoreError } from '../errors.js';
import { withCallerValues } from './callerEnv.js';

/** docker's --env-file (run and exec): KEY=VALUE lines, # comments, and a bare KEY taking this process's value. */
export function readEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StevedoreError('INVALID_ARGUMENT', `cannot read the env file ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  return withCallerValues(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}
