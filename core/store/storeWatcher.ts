import { type FSWatcher, watch } from 'node:fs';
import { basename } from 'node:path';
import type { StoreLayout } from './layout.js';

const DEBOUNCE_MS = 150;

/**
 * Calls back when index.json is replaced, by this process or any other (a `stevedore load` in a
 * terminal while the app is open). index.json is always written by rename, so watching the
 * directory for its name is enough; bursts are folded into one call.
 */
export function watchIndex(layout: StoreLayout, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const name = basename(layout.indexFile);
  try {
    watcher = watch(layout.oci, { persistent: false }, (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, DEBOUNCE_MS);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // No file watching here (some network filesystems): the app still refetches on focus.
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
