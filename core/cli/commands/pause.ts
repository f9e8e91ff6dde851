import type { Command } from 'commander';
import type { ContainerControls } from '../../runtime/runtimeBackend.js';
import { action, engineFor, print } from '../context.js';

/** pause or unpause each named container, printing its name as docker does; each failure a line. */
function eachControl(verb: 'pause' | 'unpause') {
  return async (refs: string[], _opts: unknown, cmd: Command): Promise<number> => {
    let controls: ContainerControls | undefined;
    let failed = 0;
    for (const ref of refs) {
      try {
        controls ??= engineFor(cmd).containerControls();
        await controls[verb](ref);
        print(ref);
      } catch (err) {
        failed++;
        process.stderr.write(`error: cannot ${verb} ${ref}: ${(err as Error).message}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  };
}

export function registerPauseCommands(program: Command): void {
  program
    .command('pause')
    .description('Freeze every process of running containers (the cgroup freezer)')
    .argument('<containers...>', 'names or IDs')
    .action(action(eachControl('pause')));

  program
    .command('unpause')
    .description('Let paused containers run again')
    .argument('<containers...>', 'names or IDs')
    .action(action(eachControl('unpause')));
}
