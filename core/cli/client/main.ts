// dist/cli-client.cjs: `stevedore pull` and `stevedore push` through a running engine (the app,
// `stevedore ui` or `stevedore daemon`), as docker's CLI works through Docker Desktop. The
// launcher (core/cli/launch.ts) loads this small bundle instead of the full CLI when the
// command line is one the contract can carry (./args.ts) and the store root has an engine
// socket. What it prints, its exit codes and Ctrl-C are those of the in-process commands
// (core/cli/commands/registry.ts): the same TransferPrinter over the engine's events.
import { randomUUID } from 'node:crypto';
import type { TransferProgress } from '../../api/events.schema.js';
import type { PullResult, PushResult } from '../../api/registry.schema.js';
import { connectToEngine, type EngineConnection } from '../../client/engineConnection.js';
import { dockerConfigDir } from '../../registry/credentials.js';
import { pullSummary, pushSummary, TransferPrinter } from '../transferProgress.js';
import type { ClientRequest } from './args.js';

/**
 * Runs the request through the engine on `request.socket`; calls `fallback` (the full CLI, in
 * this process) when no engine answers there, before anything is printed.
 */
export function runThroughEngine(request: ClientRequest, fallback: () => void): void {
  void connectToEngine(request.socket).then((engine) => {
    // An engine reading logins from another Docker config would pull or push as someone else.
    if (!engine || engine.dockerConfig !== dockerConfigDir()) {
      engine?.close();
      fallback();
      return;
    }
    return transfer(engine, request);
  });
}

async function transfer(engine: EngineConnection, request: ClientRequest): Promise<void> {
  const transferId = randomUUID();
  const printer = new TransferPrinter(request.command);
  engine.subscribe('transfer.progress', (payload) => {
    const event = payload as TransferProgress;
    if (event.transferId === transferId) printer.update(event);
  });
  const call =
    request.command === 'pull'
      ? engine.invoke('images.pull', {
          ref: request.ref,
          platform: request.platform,
          allPlatforms: request.allPlatforms || undefined,
          insecure: request.insecure || undefined,
          transferId,
        })
      : engine.invoke('images.push', {
          ref: request.local,
          target: request.remote,
          insecure: request.insecure || undefined,
          transferId,
        });
  // The engine ends the transfer cancelled, even one whose request it has not reached yet; the
  // call then fails with its "cancelled" error.
  let ended = false;
  const cancel = async () => {
    if (!ended) await engine.invoke('transfers.cancel', { transferId }).catch(() => undefined);
  };
  // The transfer ends with this process, as it does in-process: on Ctrl-C, TERM, a closed
  // terminal (HUP), or a reader that closed the pipe (`stevedore pull … | head`: no error, as in
  // core/cli/main.ts), the engine is told to cancel it rather than finish it for nobody.
  const onSignal = () => void cancel();
  let pipeClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    if (pipeClosed) return;
    pipeClosed = true;
    void cancel().finally(() => process.exit(0));
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    const response = await call.catch((err: Error) => ({
      ok: false as const,
      error: { code: 'UNREACHABLE', message: `${err.message} before the ${request.command} ended` },
    }));
    ended = true;
    printer.finish();
    if (response.ok) {
      process.stdout.write(
        request.command === 'pull' ? pullSummary(response.value as PullResult) : pushSummary(response.value as PushResult),
      );
    } else {
      process.stderr.write(`error: ${response.error.message}\n`);
      process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    engine.close();
  }
}
