import { useEffect, useRef, useState } from 'react';
import type { LogEntry } from '../../../../../../core/api/containers.schema';
import { ApiError, isDisconnected } from '../../../../api/apiError';
import { connectionStatus, invoke, onConnectionStatus, subscribe } from '../../../../api/client';

export interface LogLine extends LogEntry {
  /** Stable across trims of the front of the buffer: the virtual list's key. */
  seq: number;
}

export interface LogStream {
  lines: LogLine[];
  /** Lines were dropped from the front: the first answer's tail, or the buffer's cap. */
  truncated: boolean;
  /** Nothing more is coming until the container runs again. */
  ended: boolean;
  error: string | null;
}

/** The first answer: the last lines, as `docker logs --tail` would. */
export const FIRST_TAIL = 5_000;
/** Lines kept while following; older ones go first. */
export const MAX_LINES = 50_000;

/** Resolves when the socket is open again (a long poll cut by a drop is asked again, not lost). */
function whenConnected(): Promise<void> {
  if (connectionStatus() === 'open') return Promise.resolve();
  return new Promise((resolve) => {
    const off = onConnectionStatus((status) => {
      if (status !== 'open') return;
      off();
      resolve();
    });
  });
}

/**
 * A container's log, streamed: the last lines first, then `containers.logs` with `follow` and
 * the cursor in a loop (each call long-polls until there is more, or the container ends). When
 * it ends, the loop waits for the container's next `containers.changed` event (a start, a
 * restart) and goes on from the same cursor. It stops when the component unmounts.
 */
export function useLogStream(containerId: string): LogStream {
  const [state, setState] = useState<LogStream>({ lines: [], truncated: false, ended: false, error: null });
  const nextSeq = useRef(0);

  useEffect(() => {
    let live = true;
    let cursor: number | null = null;
    // Set when a containers.changed for this container arrives while the loop waits for one.
    let wake: (() => void) | null = null;
    const offChanged = subscribe('containers.changed', (event) => {
      if (event.id === containerId) wake?.();
    });
    const append = (entries: LogEntry[], truncated: boolean) => {
      if (entries.length === 0 && !truncated) return;
      setState((s) => {
        const added = entries.map((e) => ({ ...e, seq: nextSeq.current++ }));
        const all = s.lines.length === 0 ? added : s.lines.concat(added);
        const over = all.length - MAX_LINES;
        return {
          ...s,
          lines: over > 0 ? all.slice(over) : all,
          truncated: s.truncated || truncated || over > 0,
          ended: false,
          error: null,
        };
      });
    };

    const loop = async () => {
      while (live) {
        try {
          if (cursor === null) {
            const chunk = await invoke('containers.logs', { id: containerId, tail: FIRST_TAIL });
            if (!live) return;
            cursor = chunk.cursor;
            append(chunk.entries, chunk.entries.length >= FIRST_TAIL);
            continue;
          }
          const chunk = await invoke('containers.logs', { id: containerId, after: cursor, follow: true });
          if (!live) return;
          cursor = chunk.cursor;
          append(chunk.entries, false);
          if (!chunk.ended) continue;
          setState((s) => (s.ended ? s : { ...s, ended: true }));
          // The container may have started again between that answer and now: ask once more after any event.
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        } catch (err) {
          if (!live) return;
          if (isDisconnected(err)) {
            await whenConnected();
            continue;
          }
          const message =
            err instanceof ApiError && err.code === 'NOT_FOUND'
              ? 'The container is gone.'
              : err instanceof Error
                ? err.message
                : String(err);
          setState((s) => ({ ...s, error: message }));
          return;
        }
      }
    };
    void loop();
    return () => {
      live = false;
      wake?.();
      offChanged();
    };
  }, [containerId]);

  return state;
}
