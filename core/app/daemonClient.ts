import type { EngineClient } from '../api/engineClient.js';
import type { EngineConnection } from '../client/engineConnection.js';

/** A connection to an engine daemon, and how to stop that daemon when this side started it. */
export interface OpenedDaemon {
  connection: EngineConnection;
  /** Present when the daemon was started for this client (then it is stopped with it). */
  stop?: () => Promise<unknown>;
}

export interface DaemonClient extends EngineClient {
  close(): Promise<void>;
}

/** An engine whose connection lasted less than this is started again by the next call, not at once. */
const RESTART_AT_ONCE_AFTER_MS = 10_000;

/** The events that make a window read its images and containers again, sent after a restart. */
const AFTER_A_RESTART: Record<string, unknown> = {
  'images.changed': { reason: 'the engine started again' },
  'containers.changed': { id: '', reason: 'the engine started again' },
};

/**
 * The window's client of an engine that runs as a daemon. When the connection ends while the
 * window is open (the daemon crashed or was killed), the engine is opened again at once (`open`
 * starts one, or finds one the user started) and every subscription of the window is made again
 * on the new connection, so that its views keep hearing events; what changed meanwhile is told
 * as an `images.changed` and a `containers.changed` for everything. A call in flight when the
 * connection ended fails once; a call made while the engine opens again waits for it; when it
 * cannot be opened, that call fails with the reason, and the next one tries again.
 */
export async function daemonClient(open: () => Promise<OpenedDaemon>, log: (line: string) => void): Promise<DaemonClient> {
  const subscriptions = new Set<{ topic: string; listener: (payload: unknown) => void; off?: () => void }>();
  let closing = false;
  let closed: Promise<void> | undefined;
  let current: Promise<OpenedDaemon>;

  const attach = (opened: OpenedDaemon, again: boolean): OpenedDaemon => {
    for (const s of subscriptions) s.off = opened.connection.subscribe(s.topic, s.listener);
    // What the window heard nothing of while the engine was down: its views read everything again.
    if (again) {
      for (const s of [...subscriptions]) {
        const payload = AFTER_A_RESTART[s.topic];
        if (payload) s.listener(payload);
      }
    }
    const openedAt = Date.now();
    void opened.connection.closed.then(() => {
      if (closing) return;
      // An engine that ends as soon as it starts (a store it cannot open) is not started in a loop:
      // then the next call starts it, and says why it cannot.
      if (Date.now() - openedAt < RESTART_AT_ONCE_AFTER_MS) {
        log('engine: the connection to the engine ended; it is started again at the next call');
        failed = true;
        return;
      }
      log('engine: the connection to the engine ended; starting it again');
      reopen();
    });
    return opened;
  };
  let failed = false;
  const reopen = () => {
    failed = false;
    current = open().then((opened) => attach(opened, true));
    current.catch((err: unknown) => {
      failed = true;
      log(`engine: it could not be started again: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  current = open().then((opened) => attach(opened, false));
  await current;

  const connection = async (): Promise<EngineConnection> => {
    if (failed) reopen();
    return (await current).connection;
  };
  return {
    invoke: async (method, args) => (await connection()).invoke(method, args),
    subscribe(topic, listener) {
      const entry: { topic: string; listener: (payload: unknown) => void; off?: () => void } = { topic, listener };
      subscriptions.add(entry);
      void current.then(
        (opened) => {
          if (subscriptions.has(entry) && !entry.off) entry.off = opened.connection.subscribe(topic, listener);
        },
        () => undefined,
      );
      return () => {
        subscriptions.delete(entry);
        entry.off?.();
      };
    },
    close: () =>
      (closed ??= (async () => {
        closing = true;
        const opened = await current.catch(() => undefined);
        opened?.connection.close();
        await opened?.stop?.();
      })()),
  };
}
