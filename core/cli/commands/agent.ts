import { readFileSync } from 'node:fs';
import { startupSnapshot } from 'node:v8';
import type { Command } from 'commander';
import type { Engine } from '../../engine.js';
import { StevedoreError } from '../../errors.js';
import { keepCommandShells } from '../../system/commandShell.js';
import { action, engineFor, print } from '../context.js';

/** `HOST:PORT` → its parts; the guest's seed passes 0.0.0.0:7070. */
function listenAddress(text: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new StevedoreError('INVALID_ARGUMENT', `--listen wants HOST:PORT, not "${text}"`);
  return { host: match[1]!, port };
}

/**
 * A startup snapshot's build (core/cli/snapshotEntry.ts) runs the agent once, on a scratch store,
 * for what its start-up loads and compiles: the engine and the store's watch, started and stopped,
 * leaving nothing open. Not the server: Node 20 cannot keep node:http in a snapshot (its parser's
 * binding is not serializable), so the restored agent loads it and ws as a plain start does.
 */
function warmUp(engine: Engine): void {
  engine.watchStore()();
  engine.close();
}

/**
 * The engine inside a Stevedore machine, which the host's `vm` runtime drives (core/vm): started
 * by the guest's seed with the token the host gave it, it runs until the machine powers off.
 */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent', { hidden: true })
    .requiredOption('--listen <host:port>', 'the address to serve the engine protocol on')
    .requiredOption('--token-file <file>', 'a file holding the token every request must carry')
    .action(
      action(async (opts: { listen: string; tokenFile: string }, cmd: Command) => {
        const { startAgentServer } = await import('../../server/agentServer.js');
        const token = readFileSync(opts.tokenFile, 'utf8').trim();
        if (token.length < 32) throw new StevedoreError('INVALID_ARGUMENT', 'the agent token is missing or too short');
        // The agent runs as long as the machine: containers' ends are settled here, not by a CLI
        // that conmon would start for each (Node takes about a second to start under TCG).
        // Starting a process from Node is dear under TCG: mount, umount, ip and nft go through long-lived shells.
        keepCommandShells();
        const engine = engineFor(cmd, { exitNotices: true });
        if (startupSnapshot.isBuildingSnapshot()) return warmUp(engine);
        const server = await startAgentServer(engine, { ...listenAddress(opts.listen), token });
        const stopWatching = engine.watchStore();
        print(`stevedore agent listening on port ${server.port}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await server.close();
        stopWatching();
        engine.close();
        process.exit(0);
      }),
    );
}
