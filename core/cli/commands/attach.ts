import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../runtime/attachDetachKeys.js';
import { attachStdio } from '../../runtime/attachStdio.js';
import { exitCodeWhenEnded } from '../containerEnd.js';
import { action, engineFor } from '../context.js';
import { withClient } from '../withClient.js';

interface AttachOptions {
  stdin: boolean;
  /** docker's boolean flag: `--sig-proxy=false` turns it off; bare, it is true. */
  sigProxy: string | true;
  detachKeys: string;
}

export function registerAttachCommand(program: Command): void {
  program
    .command('attach')
    .description("Attach this terminal's input and output to a running container")
    .argument('<container>', 'name or ID')
    .option('--no-stdin', 'do not attach stdin')
    .option('--sig-proxy [bool]', 'pass the signals this process receives to the container (not with a TTY)', 'true')
    .option('--detach-keys <keys>', 'the key sequence that detaches, leaving the container running', DEFAULT_DETACH_KEYS)
    .action(
      action(async (ref: string, opts: AttachOptions, cmd: Command) => {
        const detachKeys = parseDetachKeys(opts.detachKeys);
        // The attach socket is this machine's (the engine in this process finds it); the rest are contract calls.
        const connection = await engineFor(cmd).containerAttacher().attach(ref);
        return withClient(cmd, async (client) => {
          const how = await attachStdio(connection, {
            stdin: opts.stdin && connection.interactive,
            output: true,
            tty: connection.tty,
            sigProxy: opts.sigProxy !== 'false',
            detachKeys,
            kill: (signal) => call(client, 'containers.kill', { id: ref, signal }),
          });
          // A detach leaves the container running and exits 0, as docker's.
          if (how === 'detached') return 0;
          return exitCodeWhenEnded(client, ref);
        });
      }),
    );
}
