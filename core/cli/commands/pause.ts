import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { action } from '../context.js';
import { eachContainer } from '../eachContainer.js';

export function registerPauseCommands(program: Command): void {
  program
    .command('pause')
    .description('Freeze every process of running containers (the cgroup freezer)')
    .argument('<containers...>', 'names or IDs')
    .action(action(eachContainer('pause', (client, id) => call(client, 'containers.pause', { id }))));

  program
    .command('unpause')
    .description('Let paused containers run again')
    .argument('<containers...>', 'names or IDs')
    .action(action(eachContainer('unpause', (client, id) => call(client, 'containers.unpause', { id }))));
}
