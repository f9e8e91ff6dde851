import type { Command } from 'commander';
import { action, engineFor } from '../context.js';

export function registerRenameCommand(program: Command): void {
  program
    .command('rename')
    .description('Give a container another name')
    .argument('<container>', 'name or ID')
    .argument('<new-name>', 'the new name')
    .action(
      action(async (ref: string, name: string, _opts: unknown, cmd: Command) =>
        engineFor(cmd).containerExtras().rename(ref, name),
      ),
    );
}
