import { existsSync } from 'node:fs';
import { bridgeProtocols } from '../api/bridgeProtocol.js';
import type { InvokeResponse } from '../api/contract.js';
import { connectToEngine, type EngineConnection } from '../client/engineConnection.js';
import { type ErrorCode, StevedoreError } from '../errors.js';
import { MachineError } from './machineError.js';
import { startMachine } from './machineLifecycle.js';
import type { MachinePaths } from './machinePaths.js';
import { machineState, readRunRecord } from './machineRun.js';

/** How long a command waits for a machine another process is starting. */
const STARTING_WAIT_MS = 180_000;

/** The agent's answer, or its error as the engine's own (the same code and sentence as native). */
export function unwrap<T>(response: InvokeResponse): T {
  if (response.ok) return response.value as T;
  const { code, message, exitCode } = response.error;
  throw Object.assign(new StevedoreError(code as ErrorCode, message), exitCode !== undefined ? { exitCode } : {});
}

export interface AgentEndpoint {
  port: number;
  token: string;
}

/**
 * The running machine's agent, started first if it is not (container commands start the machine
 * on demand, and say so through `notify`), or waited for if another process is starting it.
 */
export async function runningAgent(paths: MachinePaths, notify: (line: string) => void): Promise<AgentEndpoint> {
  if (!existsSync(paths.config)) {
    throw new MachineError(
      'not-initialized',
      `Containers run in a Linux machine for this user, and there is none yet: create it with \`stevedore machine init\` (or run the engine as root for the native runtime).`,
    );
  }
  const deadline = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    const s = machineState(paths);
    if (s.state === 'running' && s.record.agent) return s.record.agent;
    if (s.state === 'stopped') {
      notify(`Starting machine "${paths.name}" to run containers…`);
      try {
        await startMachine(paths, () => {});
        const agent = readRunRecord(paths)?.agent;
        if (agent) return agent;
      } catch (err) {
        // Another process started it in the meantime: wait for that one below.
        if (!(err instanceof MachineError && err.failure === 'running')) throw err;
      }
    }
    if (Date.now() > deadline)
      throw new MachineError('timeout', `The machine "${paths.name}" did not finish starting (another process is starting it).`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The running machine's agent, or undefined when the machine is not running (nothing is started). */
export function agentIfRunning(paths: MachinePaths): AgentEndpoint | undefined {
  const s = machineState(paths);
  return s.state === 'running' ? s.record.agent : undefined;
}

export async function connectToAgent(paths: MachinePaths, agent: AgentEndpoint): Promise<EngineConnection> {
  const connection = await connectToEngine(
    { host: '127.0.0.1', port: agent.port, protocols: bridgeProtocols(agent.token) },
    10_000,
  );
  if (!connection)
    throw new MachineError(
      'agent-unreachable',
      `The machine "${paths.name}" runs but its agent does not answer on 127.0.0.1:${agent.port}: restart it (\`stevedore machine stop\`, then start).`,
    );
  return connection;
}
