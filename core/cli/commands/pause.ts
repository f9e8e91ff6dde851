import type { Command } from 'commander';
import { action } from '../context.js';
import { eachContainer } from '../eachContainer.js';

export function registerPauseCommands(program: Command): void {
  program
    .command('pause')
    .description('Freeze every process of running containers (the cgroup freezer)')
    .argument('<containers...>', 'names or IDs')
    .action(action(eachContainer('pause', (engine, ref) => engine.containerControls().pause(ref))));

  program
    .command('unpause')
    .description('Let paused containers run again')
    .argument('<containers...>', 'names or IDs')
    .action(action(eachContainer('unpause', (engine, ref) => engine.containerControls().unpause(ref))));
}
