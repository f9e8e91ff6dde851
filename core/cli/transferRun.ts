import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine.js';
import { TransferPrinter } from './transferProgress.js';

/**
 * Runs a transfer with its progress printed to `out` (stdout for pull and push; stderr where stdout
 * belongs to a container, as for run's pull), and Ctrl-C cancelling it cleanly (nothing partial is kept).
 */
export async function withTransfer<T>(
  engine: Engine,
  operation: 'pull' | 'push',
  run: (transferId: string) => Promise<T>,
  out: NodeJS.WriteStream = process.stdout,
): Promise<T> {
  const transferId = randomUUID();
  const printer = new TransferPrinter(operation, out, !!out.isTTY);
  const off = engine.on('transfer.progress', (e) => {
    if (e.transferId === transferId) printer.update(e);
  });
  const onSignal = () => void engine.registries().then((r) => r.cancelTransfer(transferId));
  // A closed terminal (HUP) too: the transfer ends cleanly rather than with the process.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    return await run(transferId);
  } finally {
    printer.finish();
    off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    engine.closeConnections();
  }
}
