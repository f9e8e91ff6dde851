import { connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy that slows what the registry sends back, so a test can watch a pull run. */
export interface ThrottledProxy {
  /** host:port, as a reference names it. */
  host: string;
  stop(): Promise<void>;
}

/**
 * Forwards every connection to `upstreamPort`, holding the downloads of all connections together
 * to `bytesPerSecond`. Plain TCP: the registry sees the client's own requests, Host header included.
 * (testkit's FaultProxy cuts and stalls, but does not slow down.)
 */
export function startThrottledProxy(upstreamPort: number, bytesPerSecond: number): Promise<ThrottledProxy> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  // When the shared budget is next free: each chunk books its share of time after the last.
  let nextFree = Date.now();
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      const now = Date.now();
      nextFree = Math.max(now, nextFree) + (chunk.length / bytesPerSecond) * 1000;
      client.write(chunk);
      upstream.pause();
      const timer = setTimeout(() => {
        timers.delete(timer);
        upstream.resume();
      }, nextFree - now);
      timers.add(timer);
    });
    upstream.on('end', () => client.end());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        host: `127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            for (const t of timers) clearTimeout(t);
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
