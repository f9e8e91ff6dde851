import { connect, createServer, type Socket } from 'node:net';

/** Holds the answer to the requests it matches after `passBytes` of it, until released. */
export interface Gate {
  /** Tested against each request line ("GET /v2/app/blobs/sha256:… HTTP/1.1"). */
  match: RegExp;
  /** Bytes of the answer let through first (headers included): a download is seen part way. */
  passBytes: number;
}

export interface GatedProxy {
  /** host:port, as a reference names it. */
  host: string;
  /** From now on, answers to requests this gate matches stop after its bytes. */
  hold(gate: Gate): void;
  /** Lets everything held go, and holds nothing more. */
  release(): void;
  stop(): Promise<void>;
}

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/;

/**
 * A loopback TCP proxy in front of a registry that holds chosen answers, so a test can look at a
 * transfer certainly in flight (a blob part way down, a manifest PUT not yet answered) and then let
 * it finish. Without a gate it passes everything. A connection carries one request at a time (the
 * registry client waits for each answer), so the request line seen last owns the answer coming back.
 */
export function startGatedProxy(upstreamPort: number): Promise<GatedProxy> {
  let gate: Gate | undefined;
  const held: (() => void)[] = [];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    // Bytes of the current answer still allowed through; null: not gated.
    let allowance: number | null = null;
    client.on('data', (chunk: Buffer) => {
      const head = chunk.subarray(0, 512).toString('latin1');
      if (REQUEST_LINE.test(head)) {
        const line = head.slice(0, head.indexOf('\r\n'));
        allowance = gate?.match.test(line) ? gate.passBytes : null;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (allowance === null || chunk.length <= allowance) {
        if (allowance !== null) allowance -= chunk.length;
        client.write(chunk);
        return;
      }
      const now = chunk.subarray(0, allowance);
      const later = chunk.subarray(allowance);
      allowance = 0;
      if (now.length > 0) client.write(now);
      upstream.pause();
      held.push(() => {
        allowance = null;
        client.write(later);
        upstream.resume();
      });
    });
    upstream.on('end', () => client.end());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        host: `127.0.0.1:${port}`,
        hold: (g) => {
          gate = g;
        },
        release: () => {
          gate = undefined;
          for (const go of held.splice(0)) go();
        },
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of open) s.destroy();
          }),
      });
    });
  });
}
