import type { Command } from 'commander';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../runtime/attachDetachKeys.js';
import { attachStdio } from '../../runtime/attachStdio.js';
import type { RuntimeBackend } from '../../runtime/runtimeBackend.js';
import { action, engineFor } from '../context.js';

interface AttachOptions {
  stdin: boolean;
  /** docker's boolean flag: `--sig-proxy=false` turns it off; bare, it is true. */
  sigProxy: string | true;
  detachKeys: string;
}

/** docker's exit code once a container ended: the log follow returns when the container does. */
export async function exitCodeWhenEnded(runtime: RuntimeBackend, ref: string): Promise<number> {
  let state = await runtime.inspect(ref);
  let cursor: number | undefined;
  while (state.state === 'running' || state.state === 'paused') {
    const chunk = await runtime.logs(ref, { ...(cursor !== undefined ? { after: cursor } : { tail: 0 }), follow: true });
    cursor = chunk.cursor;
    state = await runtime.inspect(ref);
  }
  return state.exitCode ?? 0;
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
        const engine = engineFor(cmd);
        const connection = await engine.containerAttacher().attach(ref);
        const how = await attachStdio(connection, {
          stdin: opts.stdin && connection.interactive,
          output: true,
          tty: connection.tty,
          sigProxy: opts.sigProxy !== 'false',
          detachKeys,
          kill: (signal) => engine.runtime.kill(ref, signal),
        });
        // A detach leaves the container running and exits 0, as docker's.
        if (how === 'detached') return 0;
        return exitCodeWhenEnded(engine.runtime, ref);
      }),
    );
}
