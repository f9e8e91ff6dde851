import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { action, engineFor, exitOnUsageError, print } from '../context.js';
import { parsePullPolicy, pullForRun } from '../pullPolicy.js';
import { withClient } from '../withClient.js';
import { addContainerOptions, type ContainerOptions, containerRequest } from './run.js';

/** docker create: `run`'s flags, the container made and its ID printed, started later by `start [-a]`. */
export function registerCreateCommand(program: Command): void {
  const create = program
    .command('create')
    .description('Create a container without starting it (start it with start, or start -a)')
    .helpOption('--help', 'display help for command')
    .exitOverride(exitOnUsageError)
    .argument('<image>', 'image name or ID')
    .argument('[command...]', 'command and arguments (default: the image’s Entrypoint and Cmd)');
  addContainerOptions(create)
    .passThroughOptions()
    .action(
      action(
        async (image: string, command: string[], opts: ContainerOptions, cmd: Command) => {
          const pull = { policy: parsePullPolicy(opts.pull), platform: opts.platform, quiet: opts.quiet };
          const request = containerRequest(image, command, opts);
          // The pull is run's (pullForRun, with its progress on stderr), which still takes the engine in this process.
          if (pull.policy !== 'never') await pullForRun(engineFor(cmd), image, pull);
          const { id } = await withClient(cmd, (client) => call(client, 'containers.create', request));
          return print(id);
        },
        { failureCode: 125 },
      ),
    );
}
