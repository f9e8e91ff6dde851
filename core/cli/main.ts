import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerArchiveCommands } from './commands/archive.js';
import { registerBuildCommands } from './commands/build.js';
import { registerCommitCommands } from './commands/commit.js';
import { registerContainerCommands } from './commands/containers.js';
import { registerCpCommand } from './commands/cp.js';
import { registerCreateCommand } from './commands/create.js';
import { registerDaemonCommand } from './commands/daemon.js';
import { registerEventsCommand } from './commands/events.js';
import { registerExportCommand } from './commands/export.js';
import { registerHealthCheckCommand } from './commands/healthCheck.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerImageCommands } from './commands/images.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerDiffCommand, registerLayerCommands } from './commands/layers.js';
import { registerMachineCommands } from './commands/machine.js';
import { registerNetworkCommands } from './commands/networks.js';
import { registerPauseCommands } from './commands/pause.js';
import { registerPruneCommands } from './commands/prune.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerRenameCommand } from './commands/rename.js';
import { registerRunCommand } from './commands/run.js';
import { registerStatsCommand } from './commands/stats.js';
import { registerStoreCommands } from './commands/store.js';
import { registerSystemPruneCommand } from './commands/systemPrune.js';
import { registerTopCommand } from './commands/top.js';
import { registerUiCommand } from './commands/ui.js';
import { registerVersionCommand } from './commands/version.js';
import { registerVolumeCommands } from './commands/volumes.js';
import { rewriteManagementCommand } from './managementCommands.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('stevedore')
    .description('OCI images and containers, on an engine of its own')
    .version(VERSION, '-v, --version')
    .option('--root <dir>', 'store root (default $STEVEDORE_ROOT, else $XDG_DATA_HOME/stevedore)')
    .option(
      '--runtime <native|rootless|vm>',
      'what runs containers (default $STEVEDORE_RUNTIME, else native as root on Linux, rootless for a normal user where user namespaces work, else a machine)',
    )
    .enablePositionalOptions()
    .showSuggestionAfterError()
    // Commander puts its suggestion on a second line; an error here is always one line.
    .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')}\n`) });
  registerImageCommands(program);
  registerInspectCommand(program);
  registerHistoryCommand(program);
  registerArchiveCommands(program);
  registerLayerCommands(program);
  registerDiffCommand(program);
  registerRegistryCommands(program);
  registerStoreCommands(program);
  registerRunCommand(program);
  registerCreateCommand(program);
  registerContainerCommands(program);
  registerHealthCheckCommand(program);
  registerVolumeCommands(program);
  registerNetworkCommands(program);
  registerPauseCommands(program);
  registerStatsCommand(program);
  registerPruneCommands(program);
  registerEventsCommand(program);
  registerCpCommand(program);
  registerRenameCommand(program);
  registerTopCommand(program);
  registerExportCommand(program);
  registerSystemPruneCommand(program);
  registerVersionCommand(program);
  registerCommitCommands(program);
  registerBuildCommands(program);
  registerUiCommand(program);
  registerDaemonCommand(program);
  registerMachineCommands(program);
  registerAgentCommand(program);
  return program;
}

// `stevedore images | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Not awaited at the top level: the bundle is CommonJS (see scripts/build.mjs). A rejection
// ends the process with its stack and exit code 1, as an uncaught error does.
void buildProgram().parseAsync(rewriteManagementCommand(process.argv));
