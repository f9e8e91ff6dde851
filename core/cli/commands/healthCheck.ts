import type { Command } from 'commander';
import { checkHealthOnce } from '../../runtime/health/healthCheck.js';
import { resolveRoot } from '../../store/layout.js';
import { action } from '../context.js';

/** The loop beside a container with a health check runs this each interval (core/runtime/health/healthRunner.ts). */
export function registerHealthCheckCommand(program: Command): void {
  program
    .command('container-healthcheck', { hidden: true })
    .argument('<id>')
    .argument('<started>', 'the run the loop belongs to (its start time)')
    .argument('[runc...]', "runc's global options, after --")
    .action(
      action(async (id: string, started: string, runcOptions: string[], _opts: unknown, cmd: Command) => {
        // On the machine that runs the container, with the runtime that started it: never a client.
        const { root } = cmd.optsWithGlobals<{ root?: string }>();
        // Non-zero ends the loop: this run has ended, or the container is gone. A check that could
        // not be made this time (a record being rewritten) is tried again at the next interval.
        const goOn = await checkHealthOnce(resolveRoot(root), id, started, runcOptions).catch(() => true);
        return goOn ? 0 : 3;
      }),
    );
}
