import { watch } from 'node:fs';
import type { Command } from 'commander';
import { type EngineEvent, JournalReader } from '../../store/eventJournal.js';
import { resolveRoot } from '../../store/layout.js';
import { action, collect, print } from '../context.js';
import { eventLine, eventMatches, parseEventFilters } from '../eventFilter.js';
import { parseLogBound } from '../logWindow.js';
import { formatObject } from '../objectTemplate.js';

/** How long a follower rests between looks when no change woke it (a watch can miss one). */
const LOOK_AGAIN_MS = 1000;

export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('Print the engine’s events as they happen (containers, images, volumes)')
    .option('--since <time>', 'also the events from this time on: RFC 3339, Unix seconds, or a duration back (10m)')
    .option('--until <time>', 'stop at this time (same forms); without it, follow until interrupted')
    .option('-f, --filter <filter>', 'type=, event=, container=, image=, volume= (repeatable)', collect, [])
    .option('--format <template>', 'Go template: {{json .}}, {{.Action}}, {{.Actor.Attributes.name}} …')
    .action(
      action(async (opts: { since?: string; until?: string; filter: string[]; format?: string }, cmd: Command) => {
        const filters = parseEventFilters(opts.filter);
        const now = Date.now();
        const since = opts.since === undefined ? undefined : parseLogBound('since', opts.since, now);
        const until = opts.until === undefined ? undefined : parseLogBound('until', opts.until, now);
        // The journal is a file of the store: no engine needs to run, and none is started.
        const root = resolveRoot(cmd.optsWithGlobals<{ root?: string }>().root);
        const reader = new JournalReader(root);
        const show = (events: EngineEvent[]) => {
          for (const event of events) {
            const ms = event.timeNano / 1_000_000;
            if (since !== undefined && ms < since) continue;
            if (until !== undefined && ms >= until) continue;
            if (!eventMatches(event, filters)) continue;
            print(opts.format === undefined ? eventLine(event) : formatObject(opts.format, event));
          }
        };
        // As docker: past events only when --since asks for them.
        if (since !== undefined) show(reader.readAll());
        else reader.readNew();
        let wake: () => void = () => undefined;
        const watcher = watch(root, () => wake());
        try {
          while (until === undefined || Date.now() < until) {
            const wait = until === undefined ? LOOK_AGAIN_MS : Math.min(LOOK_AGAIN_MS, Math.max(0, until - Date.now()));
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, wait);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            show(reader.readNew());
          }
        } finally {
          watcher.close();
        }
      }),
    );
}
