import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import type { TransferStatus } from '../../api/events.schema.js';
import { StevedoreError } from '../../errors.js';
import { action, engineFor, print } from '../context.js';

/** How long a stopping daemon waits for the transfers it cancels to clean up after themselves. */
const CANCEL_GRACE_MS = 5000;

export function registerDaemonCommand(program: Command): void {
  program
    .command('daemon')
    .description('Run the engine without a window: the commands of other terminals go through it (<root>/engine.sock)')
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        // Loaded only here, as for `ui`: the socket server, ws and the contract's schemas.
        const { startEngineSocket } = await import('../../server/engineSocket.js');
        const { inProcessClient } = await import('../../server/inProcessClient.js');
        const engine = engineFor(cmd);
        // The daemon's own calls (its shutdown's) go through the client it serves, as its clients' do.
        const client = inProcessClient(engine);
        const socket = await startEngineSocket(engine, client);
        if (!socket.serving) throw new StevedoreError('CONFLICT', `not serving ${socket.path}: ${socket.why}`);
        const stopWatching = engine.watchStore();
        print(`Stevedore engine listening on ${socket.path}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
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
