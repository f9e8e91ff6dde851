import type { Command } from 'commander';
import { action, engineFor, print } from '../context.js';
import { formatTable } from '../table.js';

export function registerTopCommand(program: Command): void {
  program
    .command('top')
    .description('Show the processes of a running container (ps -f, or the ps options given)')
    .argument('<container>', 'name or ID')
    .argument('[ps-options...]', 'options for ps, as docker passes them')
    .allowUnknownOption()
    .action(
      action(async (ref: string, psOptions: string[], _opts: unknown, cmd: Command) => {
        const table = await engineFor(cmd).containerExtras().top(ref, psOptions);
        print(formatTable(table.titles, table.processes));
      }),
    );
}
