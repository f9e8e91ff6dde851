// Opens the desktop app's engine for a store as electron/main.ts does (core/app/appEngine.ts),
// run as the suite's normal user by e2e/appEngine.test.ts: it runs a container through the
// window's client and prints, as one JSON line, what the window would have seen and logged.
// With `again`, it then prints `ready`, waits for a line on stdin (the test kills the engine
// meanwhile) and runs a second container through the same client.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { call, type EngineClient } from '../../core/api/engineClient.js';
import type { EventPayload } from '../../core/api/events.schema.js';
import { openAppEngine } from '../../core/app/appEngine.js';

const [root, cli, mode] = process.argv.slice(2) as [string, string, string | undefined];

/** A --rm container through the window's client: its output, as terminal events, and exit code. */
async function runOne(client: EngineClient): Promise<{ exitCode: number; output: string }> {
  const sessionId = randomBytes(12).toString('hex');
  let output = '';
  const off = client.subscribe('terminal.output', (payload) => {
    const chunk = payload as EventPayload<'terminal.output'>;
    if (chunk.sessionId === sessionId) output += chunk.data;
  });
  try {
    const { exitCode } = await call(client, 'containers.runAttached', {
      request: { image: 'box:v1', command: ['sh', '-c', 'echo "uid $(id -u) in $(hostname)"; exit 3'], autoRemove: true },
      sessionId,
    });
    return { exitCode, output };
  } finally {
    off();
  }
}

const log: string[] = [];
/** The reasons of every containers.changed the window heard (after a restart: its refresh). */
const changed: string[] = [];
const host = await openAppEngine({
  root,
  cli: [process.execPath, cli],
  // Also on stderr as they come: the test waits for the app to notice its engine ended.
  log: (line) => {
    log.push(line);
    process.stderr.write(`${line}\n`);
  },
  runtime: process.env.STEVEDORE_RUNTIME,
});
host.client.subscribe('containers.changed', (payload) => changed.push((payload as { reason: string }).reason));
const info = await call(host.client, 'engine.info', {});
const first = await runOne(host.client);
let second: { exitCode: number; output: string } | undefined;
if (mode === 'again') {
  console.log('ready');
  process.stdin.resume();
  await once(process.stdin, 'data');
  second = await runOne(host.client);
}
await host.close();
console.log(
  JSON.stringify({ where: host.where, runtime: info.runtime, reason: info.runtimeReason, ...first, second, log, changed }),
);
