import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { action, print } from '../context.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

export function registerTopCommand(program: Command): void {
  program
    .command('top')
    .description('Show the processes of a running container (ps -f, or the ps options given)')
    .argument('<container>', 'name or ID')
    .argument('[ps-options...]', 'options for ps, as docker passes them')
    .allowUnknownOption()
    .action(
      action(async (id: string, psOptions: string[], _opts: unknown, cmd: Command) => {
        const table = await withClient(cmd, (client) => call(client, 'containers.top', { id, psOptions }));
        print(formatTable(table.titles, table.processes));
      }),
    );
}
