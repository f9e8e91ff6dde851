// Opens the desktop app's engine for a store as electron/main.ts does (core/app/appEngine.ts),
// run as the suite's normal user by e2e/appEngine.test.ts: it runs a container through the
// window's client and prints, as one JSON line, what the window would have seen.
import { randomBytes } from 'node:crypto';
import { call } from '../../core/api/engineClient.js';
import type { EventPayload } from '../../core/api/events.schema.js';
import { openAppEngine } from '../../core/app/appEngine.js';

const [root, cli] = process.argv.slice(2) as [string, string];
const host = await openAppEngine({
  root,
  cli: [process.execPath, cli],
  log: () => undefined,
  runtime: process.env.STEVEDORE_RUNTIME,
});
const info = await call(host.client, 'engine.info', {});
const sessionId = randomBytes(12).toString('hex');
let output = '';
const off = host.client.subscribe('terminal.output', (payload) => {
  const chunk = payload as EventPayload<'terminal.output'>;
  if (chunk.sessionId === sessionId) output += chunk.data;
});
const { exitCode } = await call(host.client, 'containers.runAttached', {
  request: { image: 'box:v1', command: ['sh', '-c', 'echo "uid $(id -u) in $(hostname)"; exit 3'], autoRemove: true },
  sessionId,
});
off();
await host.close();
console.log(JSON.stringify({ where: host.where, runtime: info.runtime, exitCode, output }));
