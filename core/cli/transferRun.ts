import { randomUUID } from 'node:crypto';
import type { Args, Result } from '../api/contract.js';
import { call, type EngineClient } from '../api/engineClient.js';
import type { TransferProgress } from '../api/events.schema.js';
import { StevedoreError } from '../errors.js';
import { TransferPrinter } from './transferProgress.js';

export type TransferMethod = 'images.pull' | 'images.push';

/**
 * The one pull and push of the CLI, whatever engine `client` reaches (this process's, or the one
 * serving the store's engine socket): the contract's `images.pull` or `images.push` under a
 * transfer id of its own, with the engine's `transfer.progress` for it printed to `out` (stdout
 * for pull and push; stderr where stdout belongs to a container, as for run's pull), unless
 * `showProgress` is false (`pull -q`, `push -q`).
 *
 * The transfer ends with this process, never finished for nobody: Ctrl-C, TERM, a closed terminal
 * (HUP) or a reader that closed the pipe (`stevedore pull … | head`, then exit 0 as in
 * core/cli/main.ts) ask the engine to cancel it, which it does cleanly (nothing partial is kept),
 * even for a request it has not reached yet; the call then fails with the engine's "cancelled".
 */
export async function runTransfer<M extends TransferMethod>(
  client: EngineClient,
  method: M,
  args: Omit<Args<M>, 'transferId'>,
  out: NodeJS.WriteStream = process.stdout,
  showProgress = true,
): Promise<Result<M>> {
  const operation = method === 'images.pull' ? 'pull' : 'push';
  const transferId = randomUUID();
  const printer = showProgress ? new TransferPrinter(operation, out, !!out.isTTY) : undefined;
  const off = printer
    ? client.subscribe('transfer.progress', (payload) => {
        const event = payload as TransferProgress;
        if (event.transferId === transferId) printer.update(event);
      })
    : () => undefined;
  let ended = false;
  const cancel = async () => {
    if (!ended) await client.invoke('transfers.cancel', { transferId }).catch(() => undefined);
  };
  const onSignal = () => void cancel();
  // While the transfer runs, a closed pipe cancels it before the process ends: the handlers
  // already there (main.ts' exit at once) are set aside and given back after.
  const outErrorHandlers = out.listeners('error') as ((err: Error) => void)[];
  let pipeClosed = false;
  const onOutError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') {
      if (outErrorHandlers.length === 0) throw err;
      for (const handler of outErrorHandlers) handler.call(out, err);
      return;
    }
    if (pipeClosed) return;
    pipeClosed = true;
    void cancel().finally(() => process.exit(0));
  };
  out.removeAllListeners('error');
  out.on('error', onOutError);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    return await call(client, method, { ...args, transferId } as Args<M>).catch((err: unknown) => {
      if (err instanceof StevedoreError) throw err;
      // The engine went away with the call on the wire (its socket closed).
      throw new StevedoreError('UNREACHABLE', `${(err as Error).message} before the ${operation} ended`);
    });
  } finally {
    ended = true;
    printer?.finish();
    off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    out.off('error', onOutError);
    for (const handler of outErrorHandlers) out.on('error', handler);
  }
}
