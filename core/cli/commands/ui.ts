import type { Command } from 'commander';
import { StevedoreError } from '../../errors.js';
import { keepCommandShells } from '../../system/commandShell.js';
import { action, engineFor, print } from '../context.js';

export function registerUiCommand(program: Command): void {
  program
    .command('ui')
    .description('Serve the app to a browser on 127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .action(
      action(async (opts: { port: string }, cmd: Command) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new StevedoreError('INVALID_ARGUMENT', `invalid port "${opts.port}": expected a number from 0 to 65535`);
        }
        // Loaded only here: the web server, ws and the API contract's schemas cost every other command's start-up.
        const { startWebServer } = await import('../../server/webServer.js');
        keepCommandShells();
        const server = await startWebServer(engineFor(cmd), { port });
        print(`Stevedore is serving the app at ${server.url}`);
        print('Press Ctrl-C to stop.');
        const stop = () => void server.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await new Promise(() => undefined);
      }),
    );
}
