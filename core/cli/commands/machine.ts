import { type Command, InvalidArgumentError } from 'commander';
import { resolveRoot } from '../../store/layout.js';
import { formatBytes, humanDuration } from '../../text/humanize.js';
import { DEFAULT_SETTINGS } from '../../vm/machineConfig.js';
import { initMachine } from '../../vm/machineInit.js';
import { machineStatus, removeMachine, startMachine, stopMachine } from '../../vm/machineLifecycle.js';
import { machinePaths } from '../../vm/machinePaths.js';
import { machineShell } from '../../vm/machineShell.js';
import { action, engineFor, print, printJson } from '../context.js';

function pathsFor(cmd: Command, name: string | undefined) {
  const { root } = cmd.optsWithGlobals<{ root?: string }>();
  return machinePaths(resolveRoot(root), name ?? 'default');
}

/** A whole number for an option; commander says which option was given what. */
function whole(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number is needed.');
  return Number(value);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `stevedore machine …`, podman machine's verbs: the Linux VM that will run containers for a
 * user who is not root (issue 13). Its files are under <root>/machine/<name>/.
 */
export function registerMachineCommands(program: Command): void {
  const machine = program
    .command('machine')
    .description('Manage the Linux VM that runs containers (QEMU)')
    .enablePositionalOptions();

  machine
    .command('init')
    .description('Create the machine: the guest image into the store, its data disk, its settings')
    .argument('[name]', 'machine name', 'default')
    .option('--cpus <n>', `virtual CPUs (default ${DEFAULT_SETTINGS.cpus})`, whole)
    .option('--memory <mib>', `memory in MiB (default ${DEFAULT_SETTINGS.memoryMiB})`, whole)
    .option('--disk-size <gib>', `data disk size in GiB, sparse (default ${DEFAULT_SETTINGS.diskGiB})`, whole)
    .option('--image <ref>', 'guest image in the store or a registry (default: build it, or take the built one)')
    .option('--insecure', 'allow plain http and unverified TLS for the registry --image is pulled from')
    .action(
      action(
        async (
          name: string,
          opts: { cpus?: number; memory?: number; diskSize?: number; image?: string; insecure?: boolean },
          cmd: Command,
        ) => {
          const paths = pathsFor(cmd, name);
          const report = await initMachine(
            engineFor(cmd),
            paths,
            {
              cpus: opts.cpus ?? DEFAULT_SETTINGS.cpus,
              memoryMiB: opts.memory ?? DEFAULT_SETTINGS.memoryMiB,
              diskGiB: opts.diskSize ?? DEFAULT_SETTINGS.diskGiB,
            },
            { image: opts.image, insecure: opts.insecure, log: (line) => process.stderr.write(`${line}\n`) },
          );
          const c = report.config;
          const size = Object.values(report.manifest.artifacts).reduce((sum, a) => sum + a.size, 0);
          print(`Guest image ${c.image} (${c.imageDigest}), kernel ${report.manifest.kernel.release}, ${formatBytes(size)}`);
          print(`Machine "${c.name}" initialized: ${c.cpus} CPUs, ${c.memoryMiB} MiB, ${c.diskGiB} GiB disk`);
          print(`Start it with: stevedore machine start${c.name === 'default' ? '' : ` ${c.name}`}`);
        },
      ),
    );

  machine
    .command('start')
    .description('Boot the machine and wait for its agent; it runs on after this command')
    .argument('[name]', 'machine name', 'default')
    .action(
      action(async (name: string, _opts: unknown, cmd: Command) => {
        const paths = pathsFor(cmd, name);
        const r = await startMachine(paths, (line) => process.stderr.write(`${line}\n`));
        print(
          `Machine "${paths.name}" running: ready in ${seconds(r.bootMs)}, accelerator ${r.accel} (${r.acceleratorReason}), QEMU pid ${r.pid}`,
        );
      }),
    );

  machine
    .command('stop')
    .description('Power the machine off (ACPI), killing it if it has not stopped in time')
    .argument('[name]', 'machine name', 'default')
    .option('--timeout <seconds>', 'how long to wait for the power-off before killing', whole, 30)
    .action(
      action(async (name: string, opts: { timeout: number }, cmd: Command) => {
        const paths = pathsFor(cmd, name);
        const r = await stopMachine(paths, opts.timeout * 1000);
        if (r.how === 'not-running') print(`Machine "${paths.name}" is not running`);
        else if (r.how === 'powered-off') print(`Machine "${paths.name}" powered off in ${seconds(r.ms)}`);
        else print(`Machine "${paths.name}" did not power off within ${opts.timeout} s: killed`);
      }),
    );

  machine
    .command('status')
    .description("Show the machine's state, accelerator, uptime, CPU time and memory")
    .argument('[name]', 'machine name', 'default')
    .option('--json', 'print JSON')
    .action(
      action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
        const s = await machineStatus(pathsFor(cmd, name));
        if (opts.json) return printJson(s);
        const lines = [
          `Name:          ${s.name}`,
          `State:         ${s.state}${s.qemuStatus && s.qemuStatus !== 'running' ? ` (QEMU: ${s.qemuStatus})` : ''}`,
          ...(s.state === 'stopped'
            ? []
            : [
                `Accelerator:   ${s.accelerator} (${s.acceleratorReason})`,
                `Uptime:        ${humanDuration((s.uptimeSeconds ?? 0) * 1000)}${s.bootSeconds ? ` (ready in ${s.bootSeconds.toFixed(1)} s)` : ''}`,
                `QEMU:          pid ${s.pid}, CPU time ${(s.cpuSeconds ?? 0).toFixed(1)} s, memory ${formatBytes(s.rssBytes ?? 0)}`,
              ]),
          `CPUs:          ${s.cpus}${s.state !== 'stopped' && s.accelerator === 'tcg' && s.cpus > 1 ? ' (1 in use: TCG runs every vCPU in one host thread)' : ''}`,
          `Memory:        ${s.memoryMiB} MiB`,
          `Disk:          ${s.diskGiB} GiB (${formatBytes(s.diskBytesUsed)} used on the host)`,
          `Image:         ${s.image} (${s.imageDigest})`,
        ];
        print(lines.join('\n'));
      }),
    );

  machine
    .command('shell')
    .description('Run a command, or a shell, in the machine itself (as root there), starting it if need be')
    .argument('[command...]', 'the command and its arguments (default: a login shell)')
    // Options after the command are the command's (`machine shell sh -c 'ls /'`), as with exec.
    .passThroughOptions()
    .option('--name <name>', 'machine name', 'default')
    .option('-t, --tty', 'a terminal (the default when stdin is one)')
    .option('-T, --no-tty', 'no terminal: stdout and stderr apart')
    .action(
      action(async (command: string[], opts: { name: string; tty?: boolean }, cmd: Command) => {
        const tty = opts.tty ?? (process.stdin.isTTY === true && process.stdout.isTTY === true);
        return machineShell(pathsFor(cmd, opts.name), { command, tty, interactive: true }, (line) =>
          process.stderr.write(`${line}\n`),
        );
      }),
    );

  machine
    .command('rm')
    .description('Remove the machine and its files (its data disk too); the guest image stays in the store')
    .argument('[name]', 'machine name', 'default')
    .option('-f, --force', 'stop (kill) the machine first if it runs')
    .action(
      action(async (name: string, opts: { force?: boolean }, cmd: Command) => {
        const paths = pathsFor(cmd, name);
        await removeMachine(paths, opts.force ?? false);
        print(`Machine "${paths.name}" removed`);
      }),
    );
}
