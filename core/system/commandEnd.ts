import { type ExecFileException, execFile } from 'node:child_process';

/** How a command ended: its exit status (null when it did not run to an end, with why), and what it printed. */
export interface CommandEnd {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: ExecFileException;
}

/**
 * Runs a command to its end without holding the event loop: a long-lived engine (`stevedore ui`,
 * the daemon) goes on serving its pages and calls meanwhile. Never rejects; the end says how it went.
 */
export function commandEnd(command: string, args: string[]): Promise<CommandEnd> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) resolve({ status: 0, stdout, stderr });
      // A number is the exit status; anything else (ENOENT, a signal) means it did not run to an end.
      else if (typeof error.code === 'number') resolve({ status: error.code, stdout, stderr });
      else resolve({ status: null, stdout, stderr, error });
    });
  });
}
