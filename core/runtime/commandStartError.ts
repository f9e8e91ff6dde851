import { StevedoreError } from '../errors.js';

// runc's words (logfmt, quotes maybe escaped) when the command is not in the image.
const NOT_FOUND = /exec: \\?"([^"\\]*)\\?": (executable file not found in \$PATH|stat [^:]*: no such file or directory)/;

/** A StevedoreError with docker's wording and exit code (127) when runc says the command is missing. */
export function missingCommandError(runtimeOutput: string): (StevedoreError & { exitCode: number }) | undefined {
  const m = NOT_FOUND.exec(runtimeOutput);
  if (!m) return undefined;
  return Object.assign(
    new StevedoreError('NOT_FOUND', `failed to create task for container: exec: "${m[1]}": executable file not found in $PATH`),
    { exitCode: 127 },
  );
}
