import { useSyncExternalStore } from 'react';
import { drawnAtOrNow } from './drawnAhead';

/**
 * The time, once a second, from one clock every reader shares: each container's "Up 3 seconds"
 * ticks without a timer per row, and only the components that read it re-render.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const stayIdle = () => () => {};

/** The shared clock's time; while not `active`, the reader neither subscribes nor re-renders with it. */
export function useNow(active = true): number {
  return useSyncExternalStore(active ? subscribe : stayIdle, () => now, drawnAtOrNow);
}
