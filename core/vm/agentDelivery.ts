import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { findCliScript } from '../runtime/cliScript.js';
import type { AgentDelivery } from './machine.js';
import { MachineError } from './machineError.js';

/**
 * The agent a machine runs is this engine itself: its built CLI (dist/: the launcher and the
 * bundle, so that conmon's `container-cleanup` finds `cli.cjs` beside it as on the host, and the
 * entry the seed makes the agent's startup snapshot with, core/cli/snapshotEntry.ts) and node-pty,
 * the one native addon, for the app's terminals. Offered at every boot (about 2 MB), so a guest
 * never runs another version than the engine driving it; the guest keeps the files by sha256 on
 * its data disk and is sent only those it lacks (after a rebuild, the bundle).
 */
export function agentDelivery(token: string): AgentDelivery {
  const cli = findCliScript();
  if (!cli)
    throw new MachineError(
      'no-agent',
      'The built engine (dist/cli.cjs) was not found to send to the machine: run `npm run build`.',
    );
  const dist = dirname(cli);
  const files: AgentDelivery['files'] = [];
  for (const name of ['cli.cjs', 'cli-bundle.cjs', 'snapshot-entry.cjs']) {
    files.push({ path: name, bytes: readFileSync(join(dist, name)) });
  }
  let ptyDir: string | undefined;
  try {
    ptyDir = dirname(createRequire(cli).resolve('node-pty/package.json'));
  } catch {
    // Without node-pty the agent runs; its terminals say why they cannot open.
  }
  if (ptyDir) {
    const wanted = (path: string) =>
      path === 'package.json' ||
      (path.startsWith('lib/') && path.endsWith('.js') && !path.endsWith('.test.js')) ||
      path === 'build/Release/pty.node';
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        const path = relative(ptyDir!, full);
        if (entry.isDirectory()) {
          if (path === 'lib' || path.startsWith('lib/') || path === 'build' || path === 'build/Release') walk(full);
        } else if (wanted(path) && statSync(full).size < 8 << 20) {
          files.push({ path: `node_modules/node-pty/${path}`, bytes: readFileSync(full) });
        }
      }
    };
    walk(ptyDir);
  }
  return { token, main: 'cli.cjs', files };
}

/**
 * The line answering the seed's hello (guest/files/seed.cjs): the host's clock, the token, the
 * agent's main script and its files by path, size and sha256. A seed that says `by-digest` then
 * names the files it lacks (`wantedFiles`); an older one reads every file's bytes right after it.
 */
export function deliveryLine(delivery: AgentDelivery | undefined, clockMs: number): string {
  const files = delivery?.files ?? [];
  return JSON.stringify({
    clockMs,
    ...(delivery ? { token: delivery.token, main: delivery.main } : {}),
    files: files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
  });
}

/** The seed's hello, when it keeps the agent's files on its disk by digest and asks for the rest. */
export function seedTakesDigests(hello: string): boolean {
  return /^stevedore-seed hello \S+ by-digest\b/.test(hello);
}

/**
 * The files a `stevedore-seed want 0,2` line asks for (`want -`: none), in the order to send them.
 * Undefined for a line that is not a want line; an index the delivery does not have is an error.
 */
export function wantedFiles(delivery: AgentDelivery | undefined, line: string): Buffer[] | undefined {
  const match = /^stevedore-seed want (\S+)$/.exec(line.trim());
  if (!match) return undefined;
  if (match[1] === '-') return [];
  const files = delivery?.files ?? [];
  return match[1]!.split(',').map((text) => {
    const file = /^\d+$/.test(text) ? files[Number(text)] : undefined;
    if (!file) throw new MachineError('did-not-boot', `The VM's seed asked for a file the host did not list (${text}).`);
    return file.bytes;
  });
}

export function agentToken(): string {
  return randomBytes(24).toString('hex');
}

/** A TCP port free on the host's loopback now, for QEMU to forward to the agent. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
