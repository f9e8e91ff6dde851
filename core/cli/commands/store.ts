import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import type { EngineInfo } from '../../api/store.schema.js';
import { dagToDot } from '../../dag/dag.js';
import { formatBytes } from '../../text/humanize.js';
import { action, print, printJson } from '../context.js';
import { withClient } from '../withClient.js';

export function registerStoreCommands(program: Command): void {
  program
    .command('info')
    .description('Show the engine: version, store, platform, what runs containers and why, and which process answered')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }, cmd: Command) => {
        const info = await withClient(cmd, (client) => call(client, 'engine.info', {}));
        if (opts.json) return printJson(info);
        print(
          [
            `Version:   ${info.version}`,
            `Store:     ${info.root}`,
            `Platform:  ${info.platform}`,
            `Runtime:   ${info.runtime} (${info.runtimeReason})`,
            ...(info.engine ? [`Engine:    ${engineLine(info.engine)}`] : []),
          ].join('\n'),
        );
      }),
    );

  program
    .command('dag')
    .description("Print an image's Merkle DAG (or the whole store's without REF)")
    .argument('[ref]', 'image name or ID')
    .option('--json', 'print JSON')
    .option('--dot', 'print Graphviz dot')
    .action(
      action(async (ref: string | undefined, opts: { json?: boolean; dot?: boolean }, cmd: Command) => {
        const dag = await withClient(cmd, (client) => call(client, 'images.dag', ref === undefined ? {} : { ref }));
        if (opts.json) return printJson(dag);
        if (opts.dot) return print(dagToDot(dag));
        const byDigest = new Map(dag.nodes.map((n) => [n.digest, n]));
        const children = new Map<string, string[]>();
        for (const e of dag.edges) children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
        const lines: string[] = [];
        // A document reached twice is expanded once: a DAG printed as a tree could grow exponentially.
        const expanded = new Set<string>();
        const walk = (digest: string, depth: number) => {
          const n = byDigest.get(digest);
          if (!n) return;
          const shared = n.usedBy.length > 1 ? `  shared by ${n.usedBy.join(', ')}` : '';
          const missing = n.present ? '' : '  (not stored)';
          const again = expanded.has(digest) && (children.get(digest)?.length ?? 0) > 0;
          lines.push(
            `${'  '.repeat(depth)}${n.kind.padEnd(8)} ${n.digest}  ${formatBytes(n.size)}${n.platform ? `  ${n.platform}` : ''}${missing}${shared}${again ? '  (listed above)' : ''}`,
          );
          if (again) return;
          expanded.add(digest);
          for (const c of children.get(digest) ?? []) walk(c, depth + 1);
        };
        for (const r of dag.roots) walk(r, 0);
        print(lines.join('\n'));
      }),
    );

  program
    .command('gc')
    .description('Remove blobs no image uses')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(
      action(async (opts: { dryRun?: boolean }, cmd: Command) => {
        const report = await withClient(cmd, (client) => call(client, 'store.gc', { dryRun: opts.dryRun === true }));
        for (const r of report.removed) print(`${opts.dryRun ? 'would remove' : 'removed'} ${r.digest} (${formatBytes(r.size)})`);
        print(
          `${opts.dryRun ? 'Would reclaim' : 'Reclaimed'} ${formatBytes(report.reclaimedBytes)} in ${report.removed.length} blobs`,
        );
      }),
    );

  program
    .command('fsck')
    .description('Re-hash every blob, check that every image is whole, and check the build cache and the snapshots')
    .option('--json', 'print JSON')
    .option('--repair', 'remove corrupt snapshots (they are made again from the layers when next needed)')
    .action(
      action(async (opts: { json?: boolean; repair?: boolean }, cmd: Command) => {
        const report = await withClient(cmd, (client) => call(client, 'store.fsck', { repair: opts.repair === true }));
        if (opts.json) printJson(report);
        else {
          for (const p of report.problems) {
            const used = p.images.length ? ` (used by ${p.images.join(', ')})` : '';
            print(`${p.kind}: ${p.digest}: ${p.detail}${used}`);
          }
          for (const chainId of report.repaired ?? []) print(`removed corrupt snapshot ${chainId}`);
          print(`${report.checked} blobs checked, ${report.problems.length} problems`);
        }
        return report.problems.length > 0 ? 1 : 0;
      }),
    );
}

/** Which engine answered `info`: this command's own, or the one serving the store's socket. */
function engineLine(engine: NonNullable<EngineInfo['engine']>): string {
  if (engine.socket === null) return `this command's own (pid ${engine.pid}; no engine serves the store)`;
  const onDemand =
    engine.exitWhenIdleSeconds === null ? '' : `; started on demand, it ends after ${engine.exitWhenIdleSeconds} s unused`;
  return `pid ${engine.pid}, serving ${engine.socket}${onDemand}`;
}
