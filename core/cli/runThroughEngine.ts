import { randomBytes } from 'node:crypto';
import type { RunRequest } from '../api/containers.schema.js';
import { call, type EngineClient } from '../api/engineClient.js';
import type { EventPayload } from '../api/events.schema.js';
import { StevedoreError } from '../errors.js';
import { generateContainerName } from '../runtime/containerNames.js';
import { type PullRequest, withPullPolicy } from './pullPolicy.js';

/** Random names tried before giving up on a run whose name was taken each time. */
const NAME_ATTEMPTS = 3;

/**
 * A foreground `run` without -i or -t through the engine that serves the store (the app,
 * `stevedore ui`, `stevedore daemon`), as docker's CLI runs every container through its daemon:
 * the engine runs it and sends its output as `terminal.output` events of a session named here,
 * and the call answers with the exit code. The engine is already loaded and warm, and the app
 * sees the run as it happens. An image that is not in the store is pulled through the same engine
 * first, as `--pull` says; Ctrl-C stops the container, a second one kills it.
 */
export async function runThroughEngine(client: EngineClient, request: RunRequest, pull: PullRequest): Promise<number> {
  return withPullPolicy(client, request.image, pull, () => runNamed(client, request));
}

/**
 * The run under a name chosen here, so that Ctrl-C can stop it before the engine has answered;
 * a random name that is taken (rarely) is chosen again.
 */
async function runNamed(client: EngineClient, request: RunRequest): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const name = request.name ?? generateContainerName(new Set());
    try {
      return await runSession(client, { ...request, name });
    } catch (err) {
      const taken = err instanceof StevedoreError && err.code === 'CONFLICT' && /container name/.test(err.message);
      if (request.name !== undefined || attempt >= NAME_ATTEMPTS || !taken) throw err;
    }
  }
}

async function runSession(client: EngineClient, request: RunRequest & { name: string }): Promise<number> {
  const sessionId = randomBytes(12).toString('hex');
  // Subscribed before the call: the engine sends no output of the session before it has the call,
  // and all of it before the answer, on the same connection.
  const off = client.subscribe('terminal.output', (payload) => {
    const output = payload as EventPayload<'terminal.output'>;
    if (output.sessionId !== sessionId) return;
    (output.stream === 'stderr' ? process.stderr : process.stdout).write(output.data);
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts === 1) process.stderr.write('stopping the container (Ctrl-C again to kill it)\n');
    const method = interrupts === 1 ? 'containers.stop' : 'containers.kill';
    void call(client, method, { id: request.name }).catch(() => undefined);
  };
  process.on('SIGINT', onInterrupt);
  try {
    return (await call(client, 'containers.runAttached', { request, sessionId })).exitCode;
  } finally {
    process.off('SIGINT', onInterrupt);
    off();
  }
}
