import { startupSnapshot } from 'node:v8';
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { COMMAND_MODULES, modulesFor } from './commandModules.js';
import { rewriteManagementCommand } from './managementCommands.js';

/** The program with the commands of `modules` (all of them unless said: see commandModules.ts). */
export function buildProgram(modules = COMMAND_MODULES): Command {
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
  for (const { register } of modules) register(program);
  return program;
}

/**
 * Whether node was started with --build-snapshot (core/cli/snapshotEntry.ts), read from its flags
 * without loading node:v8. Asked each time: a process started from the snapshot keeps the heap of
 * the build, not its flags.
 */
const buildingSnapshot = () => process.execArgv.includes('--build-snapshot');

/** The command line of this process, run. */
function main(): Promise<Command> {
  // `stevedore images | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  // Once nothing is left to do (no handle, no timer, no pending I/O), end here rather than by
  // node's own way out, which frees the whole environment and V8's heap first: 15-21 ms after the
  // 'exit' event of a `run --rm`, for memory the kernel takes back anyway. 'exit' handlers still run
  // (the launcher's code cache). A snapshot's build must end node's way: the snapshot is written then.
  if (!buildingSnapshot()) process.once('beforeExit', () => process.exit());
  // Read by the launcher (core/cli/launch.ts declares it): a mistyped command keeps no code cache.
  globalThis.__stevedoreCommandWords = new Set(COMMAND_MODULES.flatMap((m) => m.commands));
  const argv = rewriteManagementCommand(process.argv);
  return buildProgram(modulesFor(argv)).parseAsync(argv);
}

// Not awaited at the top level: the bundle is CommonJS (see scripts/build.mjs). A rejection
// ends the process with its stack and exit code 1, as an uncaught error does.
// `node --build-snapshot dist/snapshot-entry.cjs COMMAND…` runs the command once and keeps the heap
// it leaves (every module it loaded, every function it compiled): a process started from that
// snapshot begins here, with its own arguments (core/cli/snapshotEntry.ts). node:v8 is loaded only
// then (its first use loads it): node's own flag says so first, ~3 ms of every other command.
if (buildingSnapshot() && startupSnapshot.isBuildingSnapshot()) {
  startupSnapshot.setDeserializeMainFunction(() => void main());
}
void main();
