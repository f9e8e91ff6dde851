import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { action } from '../context.js';
import { withClient } from '../withClient.js';

export function registerRenameCommand(program: Command): void {
  program
    .command('rename')
    .description('Give a container another name')
    .argument('<container>', 'name or ID')
    .argument('<new-name>', 'the new name')
    .action(
      action(async (id: string, name: string, _opts: unknown, cmd: Command) => {
        await withClient(cmd, (client) => call(client, 'containers.rename', { id, name }));
      }),
    );
}
