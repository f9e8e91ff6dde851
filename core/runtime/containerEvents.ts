import { existsSync } from 'node:fs';
import { JournalReader, recordEvent } from '../store/eventJournal.js';
import { type ContainerRecord, containerPaths, readRecord } from './containerRecord.js';
import type { VolumeBackend } from './runtimeBackend.js';

/** The engine's reasons for a container change, as docker names the event (`docker events`). */
const ACTIONS: Record<string, string> = {
  created: 'create',
  started: 'start',
  exited: 'die',
  stopped: 'stop',
  removed: 'destroy',
  paused: 'pause',
  unpaused: 'unpause',
  renamed: 'rename',
};

/**
 * Writes a container's change to the store's event journal with docker's attributes (its image
 * and name, the exit code of a `die`). `record` is the container as it was when it changed (the
 * files of a removed one are gone); without it the record is read. Reasons docker has no event
 * for (the app's `observed`) are not journaled.
 */
export function journalContainerChange(root: string, id: string, reason: string, record?: ContainerRecord): void {
  const action = ACTIONS[reason];
  if (!action) return;
  let known = record;
  if (!known) {
    const file = containerPaths(root, id).record;
    try {
      known = existsSync(file) ? readRecord(file) : undefined;
    } catch {
      known = undefined;
    }
  }
  const attributes: Record<string, string> = known ? { image: known.image, name: known.name } : {};
  if (action === 'die' && known?.state.exitCode !== null && known?.state.exitCode !== undefined) {
    attributes.exitCode = String(known.state.exitCode);
  }
  recordEvent(root, { Type: 'container', Action: action, id, attributes });
}

/**
 * The exit code the journal's last `die` of container `id` tells: what is left of a --rm
 * container once it is removed. Undefined when the journal has none (cut, or never written).
 */
export function diedWith(root: string, id: string): number | undefined {
  const died = new JournalReader(root)
    .readAll()
    .findLast((e) => e.Type === 'container' && e.Action === 'die' && e.Actor.ID === id && e.Actor.Attributes.exitCode);
  return died ? Number(died.Actor.Attributes.exitCode) : undefined;
}

/** The volumes of a runtime, their creations and removals journaled as docker's volume events. */
export function journaledVolumes(root: string, volumes: VolumeBackend): VolumeBackend {
  const destroyed = (name: string) => recordEvent(root, { Type: 'volume', Action: 'destroy', id: name });
  return {
    list: () => volumes.list(),
    inspect: (name) => volumes.inspect(name),
    create: async (name, labels) => {
      const created = await volumes.create(name, labels);
      recordEvent(root, { Type: 'volume', Action: 'create', id: created.name, attributes: { driver: 'local' } });
      return created;
    },
    remove: async (name, force) => {
      await volumes.remove(name, force);
      destroyed(name);
    },
    prune: async (all) => {
      const result = await volumes.prune(all);
      for (const name of result.removed) destroyed(name);
      return result;
    },
  };
}
