import { StevedoreError } from '../../errors.js';

/**
 * Every mistake in a Dockerfile is reported as one sentence that names where it is:
 * `Dockerfile line 7: COPY: requires at least two arguments …`. `what` is the instruction
 * (upper case) or the thing being read (`parser directive`, `heredoc`).
 */
export function dockerfileError(line: number, what: string, message: string): StevedoreError {
  return new StevedoreError('INVALID_ARGUMENT', `Dockerfile line ${line}: ${what}: ${message}`);
}

/** For mistakes that belong to no single line (an empty file, an unknown --target). */
export function dockerfileProblem(message: string): StevedoreError {
  return new StevedoreError('INVALID_ARGUMENT', `Dockerfile: ${message}`);
}
