import { type Command, InvalidArgumentError } from 'commander';
import { call } from '../../api/engineClient.js';
import type { TransferStatus } from '../../api/events.schema.js';
import { StevedoreError } from '../../errors.js';
import { findCliScript } from '../../runtime/cliScript.js';
import { HOLDER_ENV } from '../../runtime/rootless/namespaceEntry.js';
import { insideHolder } from '../../runtime/rootless/namespaceHolder.js';
import { HAND_OVER_SIGNAL, recordOnDemandEngine, watchOnDemandEngine } from '../../server/engineOnDemand.js';
import type { EngineSocket } from '../../server/engineSocket.js';
import { keepCommandShells } from '../../system/commandShell.js';
import { action, engineFor, print } from '../context.js';

/** How long a stopping daemon waits for the transfers it cancels to clean up after themselves. */
const CANCEL_GRACE_MS = 5000;

export function registerDaemonCommand(program: Command): void {
  program
    .command('daemon')
    .description('Run the engine without a window: the commands of other terminals go through it (<root>/engine.sock)')
    .option(
      '--exit-when-idle <seconds>',
      'end once unused that long (an engine started on demand: it gives its socket up to the app or a plain daemon)',
      parseIdleSeconds,
    )
    .action(
      action(async (opts: { exitWhenIdle?: number }, cmd: Command) => {
        // Loaded only here, as for `ui`: the socket server, ws and the contract's schemas.
        const { startEngineSocket } = await import('../../server/engineSocket.js');
        const { inProcessClient } = await import('../../server/inProcessClient.js');
        keepCommandShells();
        const engine = engineFor(cmd);
        // The daemon's own calls (its shutdown's) go through the client it serves, as its clients' do.
        const client = inProcessClient(engine);
        const idle = opts.exitWhenIdle;
        const socket = await startEngineSocket(engine, client, idle === undefined ? {} : { exitWhenIdleSeconds: idle });
        if (!socket.serving) throw new StevedoreError('CONFLICT', `not serving ${socket.path}: ${socket.why}`);
        const stopWatching = engine.watchStore();
        const busy = async () => (await call(client, 'transfers.list', {})).some((t) => t.state === 'running');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
          if (idle !== undefined) {
            const { leave, stop } = startOnDemand(engine.store.root, idle, socket, busy, resolve);
            process.once(HAND_OVER_SIGNAL, () => leave('another engine serves the store now'));
            process.once('exit', stop);
          }
          print(`Stevedore engine listening on ${socket.path}`);
        });
        // No new clients; the transfers running are cancelled (their partial blobs go) before the end.
        const closed = socket.close();
        const running = (await call(client, 'transfers.list', {})).filter((t) => t.state === 'running');
        const ended = new Set<string>();
        const allEnded = new Promise<void>((resolve) => {
          const check = () => running.every((t) => ended.has(t.transferId)) && resolve();
          client.subscribe('transfer.ended', (t) => {
            ended.add((t as TransferStatus).transferId);
            check();
          });
          check();
        });
        for (const t of running) await call(client, 'transfers.cancel', { transferId: t.transferId });
        await Promise.race([allEnded, new Promise((resolve) => setTimeout(resolve, CANCEL_GRACE_MS).unref())]);
        await closed;
        stopWatching();
        engine.close();
        process.exit(0);
      }),
    );
}

function parseIdleSeconds(value: string): number {
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new InvalidArgumentError('a whole number of seconds above 0 is needed.');
  return Number(value);
}

/** How often a leaving engine looks whether its last client has gone. */
const LEAVING_CHECK_MS = 100;

/**
 * An engine started on demand: recorded beside its socket, watched (engineOnDemand.ts). To leave,
 * it takes no new client at once, then ends (`done`) once its clients and transfers have.
 */
function startOnDemand(
  root: string,
  idleSeconds: number,
  socket: Extract<EngineSocket, { serving: true }>,
  busy: () => Promise<boolean>,
  done: () => void,
): { leave(why: string): void; stop(): void } {
  const forget = recordOnDemandEngine(root);
  const holder = Number(process.env[HOLDER_ENV]);
  const codeFile = findCliScript()?.replace(/cli\.cjs$/, 'cli-bundle.cjs');
  let leaving = false;
  const leave = (why: string) => {
    if (leaving) return;
    leaving = true;
    stopWatching();
    forget();
    print(`Stevedore engine leaving: ${why}`);
    socket.stopAccepting();
    const check = setInterval(async () => {
      if (socket.clients() > 0 || (await busy())) return;
      clearInterval(check);
      done();
    }, LEAVING_CHECK_MS);
  };
  const stopWatching = watchOnDemandEngine({
    idleMs: idleSeconds * 1000,
    clients: socket.clients,
    busy,
    root,
    ...(holder > 0 ? { inNamespace: () => insideHolder(holder) } : {}),
    ...(codeFile ? { codeFile } : {}),
    end: leave,
  });
  return {
    leave,
    stop: () => {
      stopWatching();
      forget();
    },
  };
}
