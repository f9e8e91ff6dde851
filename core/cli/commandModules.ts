import type { Command } from 'commander';
import { registerAgentCommand } from './commands/agent.js';
import { registerArchiveCommands } from './commands/archive.js';
import { registerAttachCommand } from './commands/attach.js';
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

/**
 * Each command module with the top-level commands (and aliases) it defines, in the order help
 * lists them. A run defines only the module of the command it runs, so that `stevedore images`
 * does not build the hundred other commands and their options, and, in the CLI bundle, whose
 * modules run at first use (scripts/lazyModules.mjs), does not load them either: each registrar is
 * called through a function for that reason. Help, a mistyped command (its suggestion) and no
 * command at all define every module. commandModules.test.ts checks each list against what its
 * module defines: a new command goes in the list of the module that defines it.
 */
export const COMMAND_MODULES: { commands: string[]; register: (program: Command) => void }[] = [
  { commands: ['images', 'tag', 'rmi'], register: (p) => registerImageCommands(p) },
  { commands: ['inspect'], register: (p) => registerInspectCommand(p) },
  { commands: ['history'], register: (p) => registerHistoryCommand(p) },
  { commands: ['load', 'save'], register: (p) => registerArchiveCommands(p) },
  { commands: ['unpack'], register: (p) => registerLayerCommands(p) },
  { commands: ['diff'], register: (p) => registerDiffCommand(p) },
  {
    commands: ['pull', 'push', 'login', 'logout', 'tags', 'catalog', 'registry'],
    register: (p) => registerRegistryCommands(p),
  },
  { commands: ['info', 'dag', 'gc', 'fsck'], register: (p) => registerStoreCommands(p) },
  { commands: ['run'], register: (p) => registerRunCommand(p) },
  { commands: ['create'], register: (p) => registerCreateCommand(p) },
  {
    commands: ['ps', 'start', 'stop', 'restart', 'kill', 'rm', 'logs', 'wait', 'port', 'exec', 'container-cleanup'],
    register: (p) => registerContainerCommands(p),
  },
  { commands: ['attach'], register: (p) => registerAttachCommand(p) },
  { commands: ['container-healthcheck'], register: (p) => registerHealthCheckCommand(p) },
  { commands: ['volume'], register: (p) => registerVolumeCommands(p) },
  { commands: ['network'], register: (p) => registerNetworkCommands(p) },
  { commands: ['pause', 'unpause'], register: (p) => registerPauseCommands(p) },
  { commands: ['stats'], register: (p) => registerStatsCommand(p) },
  { commands: ['image', 'container', 'system'], register: (p) => registerPruneCommands(p) },
  { commands: ['events'], register: (p) => registerEventsCommand(p) },
  { commands: ['cp'], register: (p) => registerCpCommand(p) },
  { commands: ['rename'], register: (p) => registerRenameCommand(p) },
  { commands: ['top'], register: (p) => registerTopCommand(p) },
  { commands: ['export'], register: (p) => registerExportCommand(p) },
  // `system prune` joins the `system` command the prune module made.
  { commands: ['system'], register: (p) => registerSystemPruneCommand(p) },
  { commands: ['version'], register: (p) => registerVersionCommand(p) },
  { commands: ['commit', 'import'], register: (p) => registerCommitCommands(p) },
  { commands: ['build', 'builder'], register: (p) => registerBuildCommands(p) },
  { commands: ['ui'], register: (p) => registerUiCommand(p) },
  { commands: ['daemon'], register: (p) => registerDaemonCommand(p) },
  { commands: ['machine'], register: (p) => registerMachineCommands(p) },
  { commands: ['agent'], register: (p) => registerAgentCommand(p) },
];

/** Global options that take a value, to step over when looking for the command. */
const VALUED_GLOBALS = new Set(['--root', '--runtime']);

/**
 * Which command modules a run needs, from its arguments (process.argv's, management commands
 * already rewritten): those defining the command named; none for `--version` alone; all for
 * help, no command, or a command no module defines (commander suggests the nearest).
 */
export function modulesFor(argv: string[]): typeof COMMAND_MODULES {
  let i = 2;
  const globals: string[] = [];
  while (i < argv.length && argv[i]!.startsWith('-')) {
    globals.push(argv[i]!);
    i += VALUED_GLOBALS.has(argv[i]!) ? 2 : 1;
  }
  const name = argv[i];
  if (name === undefined) {
    const versionOnly =
      globals.some((g) => g === '-v' || g === '--version') && !globals.some((g) => g === '-h' || g === '--help');
    return versionOnly ? [] : COMMAND_MODULES;
  }
  const defining = COMMAND_MODULES.filter((m) => m.commands.includes(name));
  return defining.length > 0 ? defining : COMMAND_MODULES;
}
