import { StevedoreError } from '../errors.js';

// runc's words (logfmt, quotes maybe escaped) when the command is not in the image, or is there but cannot be executed.
const NOT_FOUND = /exec: \\?"([^"\\]*)\\?": (executable file not found in \$PATH|stat [^:]*: no such file or directory)/;
const NOT_EXECUTABLE = /exec: \\?"([^"\\]*)\\?": permission denied/;

/**
 * docker's wording and exit code when runc could not start the command: 127 when it is not in the
 * image, 126 when it cannot be executed (not a program, no x bit). `verb`: what was starting it.
 */
export function commandStartError(
  runtimeOutput: string,
  verb: 'run' | 'exec' = 'run',
): (StevedoreError & { exitCode: number }) | undefined {
  const prefix = verb === 'run' ? 'failed to create task for container' : 'exec failed';
  const missing = NOT_FOUND.exec(runtimeOutput);
  if (missing) {
    return Object.assign(
      new StevedoreError('NOT_FOUND', `${prefix}: exec: "${missing[1]}": executable file not found in $PATH`),
      { exitCode: 127 },
    );
  }
  const denied = NOT_EXECUTABLE.exec(runtimeOutput);
  if (denied) {
    return Object.assign(new StevedoreError('DENIED', `${prefix}: exec: "${denied[1]}": permission denied`), { exitCode: 126 });
  }
  return undefined;
}
