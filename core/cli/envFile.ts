import { readFileSync } from 'node:fs';
import { parseEnvFile } from '../api/envFileFormat.js';
import { StevedoreError } from '../errors.js';

/** docker's --env-file (run and exec) read by the CLI: a bare KEY takes this process's value. */
export function readEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StevedoreError('INVALID_ARGUMENT', `cannot read the env file ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  try {
    return parseEnvFile(text, (name) => process.env[name]);
  } catch (err) {
    throw new StevedoreError('INVALID_ARGUMENT', `the env file ${path}, ${(err as Error).message}`);
  }
}
