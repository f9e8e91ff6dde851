/**
 * The Windows driver's command lines: WSL2, which Windows already runs as a managed utility VM,
 * so Stevedore's guest becomes a WSL distribution instead of a machine of its own. Designed and
 * unit-tested here; it runs only on Windows. Facts it relies on (wsl.exe's usage):
 * `--import <Distro> <InstallLocation> <FileName> --version 2` makes a distribution from a root
 * filesystem tar (here the guest image's, as `stevedore machine init` has it in the store), with
 * its disk (ext4.vhdx) in the install location; `--distribution <Distro> --user root --exec <cmd>`
 * runs a command there without a shell; `--terminate` stops it, `--unregister` removes it and its
 * disk. WSL2 forwards the Linux side's loopback ports to Windows' localhost, so the agent is
 * reached as through QEMU's hostfwd here, behind its token. The token goes in on stdin to a file
 * only root reads in the distribution, never in a command line another process can read.
 */

/** Where the agent's token is kept in the distribution (the QEMU guest's seed keeps it there too). */
export const WSL_TOKEN_FILE = '/run/stevedore/agent-token';

export interface WslDistribution {
  /** The distribution's name (`stevedore`, or `stevedore-<machine>` for another machine). */
  name: string;
  /** A Windows directory of the user's where WSL keeps the distribution's disk. */
  installDir: string;
}

function checkName(name: string): string {
  // Names this driver makes are letters, digits, '.', '_' and '-', never first a '-' (wsl.exe
  // would read an option): nothing wsl.exe or a Windows path could take another way.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new RangeError(`not a WSL distribution name: ${name}`);
  return name;
}

/** `wsl --import`: the guest's root filesystem tar as a WSL 2 distribution. */
export function wslImportArguments(distro: WslDistribution, rootfsTar: string): string[] {
  return ['--import', checkName(distro.name), distro.installDir, rootfsTar, '--version', '2'];
}

/** Runs `command` as root in the distribution, without a shell of the user's in between. */
function asRoot(distro: WslDistribution, command: string[]): string[] {
  return ['--distribution', checkName(distro.name), '--user', 'root', '--exec', ...command];
}

/** Writes the token read on stdin to WSL_TOKEN_FILE, 0600 in a 0700 directory. */
export function wslTokenArguments(distro: WslDistribution): string[] {
  return asRoot(distro, [
    '/bin/sh',
    '-c',
    `umask 077 && mkdir -p ${WSL_TOKEN_FILE.slice(0, WSL_TOKEN_FILE.lastIndexOf('/'))} && cat > ${WSL_TOKEN_FILE}`,
  ]);
}

/**
 * The agent in the distribution, as root there, on the distribution's loopback at `port` (WSL
 * forwards it to Windows' localhost, and to nothing else): the engine and command the QEMU guest's
 * seed starts.
 */
export function wslAgentArguments(
  distro: WslDistribution,
  agent: { node: string; cli: string; store: string; port: number },
): string[] {
  if (!Number.isInteger(agent.port) || agent.port < 1 || agent.port > 65535)
    throw new RangeError(`the agent's port must be 1-65535, not ${agent.port}`);
  return asRoot(distro, [
    agent.node,
    agent.cli,
    '--root',
    agent.store,
    'agent',
    '--listen',
    `127.0.0.1:${agent.port}`,
    '--token-file',
    WSL_TOKEN_FILE,
  ]);
}

/** `wsl --terminate`: the distribution stopped (its containers with it). */
export function wslTerminateArguments(distro: WslDistribution): string[] {
  return ['--terminate', checkName(distro.name)];
}

/** `wsl --unregister`: the distribution and its disk removed (`machine rm`). */
export function wslUnregisterArguments(distro: WslDistribution): string[] {
  return ['--unregister', checkName(distro.name)];
}
