import type { Readable } from 'node:stream';
import { commandStartError } from './commandStartError.js';

const HEAD = 4096;

/**
 * The stderr of `runc run` or `runc exec` (or crun's): the container's own, passed on as it comes, and the runtime's,
 * whose line for a command that could not start is held back (commandStartError says it docker's
 * way instead). That line comes before the container's first output, so only the start of the
 * stream is kept to look at.
 */
export class RuncStderr {
  private head = '';

  constructor(
    stream: Readable,
    write: (text: string) => void,
    private readonly verb: 'run' | 'exec',
    /** The program asked for, which crun's words for one it cannot execute do not name. */
    private readonly command: string,
    also: (text: string) => void = () => undefined,
  ) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      if (this.head.length < HEAD) this.head = (this.head + text).slice(0, HEAD);
      also(text);
      if (this.head.length >= HEAD || commandStartError(this.head, verb, command) === undefined) write(text);
    });
  }

  /** Why the command did not start, when the runtime said so; undefined when it started. */
  startError(): ReturnType<typeof commandStartError> {
    return commandStartError(this.head, this.verb, this.command);
  }
}
