import { WebSocket } from 'ws';
import { AGENT_SHELL_PATH } from '../client/agentProtocol.js';
import { setTerminalRaw } from '../runtime/terminalHandOver.js';
import { runningAgent } from './agentClient.js';
import { MachineError } from './machineError.js';
import type { MachinePaths } from './machinePaths.js';

export interface MachineShellRequest {
  /** Empty: the guest's login shell. */
  command: string[];
  tty: boolean;
  /** Pass this process's stdin on. */
  interactive: boolean;
}

/**
 * `stevedore machine shell`, podman machine ssh's counterpart: a command, or a shell, in the
 * guest itself (as root there, outside any container), through the agent (core/vm/guestShell.ts)
 * on this process's terminal. The machine is started first if it is stopped, as container
 * commands do. Resolves to the command's exit code.
 */
export async function machineShell(
  paths: MachinePaths,
  request: MachineShellRequest,
  notify: (line: string) => void,
): Promise<number> {
  const agent = await runningAgent(paths, notify);
  const ws = new WebSocket(`ws://127.0.0.1:${agent.port}${AGENT_SHELL_PATH}`, {
    headers: { authorization: `Bearer ${agent.token}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', (err) =>
      reject(new MachineError('agent-unreachable', `The machine's agent refused the shell: ${err.message}`)),
    );
  });
  const stdin = process.stdin;
  const raw = request.tty && request.interactive && stdin.isTTY;
  ws.send(
    JSON.stringify({
      command: request.command,
      tty: request.tty,
      cols: process.stdout.columns || 80,
      rows: process.stdout.rows || 24,
    }),
  );
  const onInput = (data: Buffer) => ws.send(data);
  const onEnd = () => ws.send(JSON.stringify({ eof: true }));
  const onResize = () =>
    ws.send(JSON.stringify({ resize: { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 } }));
  if (request.interactive) {
    if (raw) setTerminalRaw();
    stdin.on('data', onInput);
    stdin.on('end', onEnd);
  }
  if (request.tty) process.stdout.on('resize', onResize);
  try {
    return await new Promise<number>((resolve, reject) => {
      let exitCode: number | undefined;
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          (data[0] === 2 ? process.stderr : process.stdout).write(data.subarray(1));
          return;
        }
        exitCode = (JSON.parse(data.toString('utf8')) as { exitCode: number }).exitCode;
      });
      ws.on('close', () =>
        exitCode !== undefined
          ? resolve(exitCode)
          : reject(new MachineError('agent-unreachable', "The machine's agent ended the shell without its exit code.")),
      );
    });
  } finally {
    stdin.off('data', onInput);
    stdin.off('end', onEnd);
    process.stdout.off('resize', onResize);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
  }
}
