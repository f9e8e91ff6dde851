import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a rule does to a request it matches. */
export type Fault =
  /** Answer this status (and body) instead of the registry. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Forward, but cut the connection after this many bytes of the response body. */
  | { cutAfter: number }
  /** Forward this many bytes of the response body, then send nothing more (until the proxy stops). */
  | { stallAfter: number }
  /** Forward this many bytes of the request body (an upload), then drop both connections. */
  | { cutRequestAfter: number }
  /**
   * Take the whole request body (an upload) but forward all of it except its last byte, so the
   * registry waits for it and never answers (until the proxy stops): a stall after the bytes left.
   */
  | { holdLastRequestByte: true };

export interface FaultRule {
  method?: string;
  /** Matched against the request path (with query). */
  path: RegExp;
  fault: Fault;
  /** How many matching requests get the fault; then the rule is spent. Default 1. */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The Range header the client sent, if any. */
  range: string | undefined;
  status: number;
  faulted: boolean;
  bytesUp: number;
  bytesDown: number;
}

/**
 * A loopback HTTP proxy in front of a test registry that counts bytes each way and injects
 * faults: an error status a number of times, or a response cut midway. The Host header passes
 * through, so the registry's upload Locations point back at the proxy and are counted too.
 */
export class FaultProxy {
  /** Request body bytes sent towards the registry (uploads). */
  bytesUp = 0;
  /** Response body bytes sent back to the client (downloads). */
  bytesDown = 0;
  readonly log: ProxiedRequest[] = [];
  private rules: (FaultRule & { left: number })[] = [];
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly upstreamPort: number) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  addRule(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Zeroes the counters and forgets rules and the log. */
  reset(): void {
    this.bytesUp = 0;
    this.bytesDown = 0;
    this.log.length = 0;
    this.rules = [];
  }

  private take(req: IncomingMessage): Fault | undefined {
    const rule = this.rules.find((r) => r.left > 0 && (!r.method || r.method === req.method) && r.path.test(req.url ?? ''));
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const fault = this.take(req);
      const entry: ProxiedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        range: req.headers.range,
        status: 0,
        faulted: !!fault,
        bytesUp: 0,
        bytesDown: 0,
      };
      this.log.push(entry);
      if (fault && 'status' in fault) {
        req.resume();
        entry.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', connection: 'close', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      const upstream = request(
        { host: '127.0.0.1', port: this.upstreamPort, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          entry.status = up.statusCode ?? 0;
          res.writeHead(up.statusCode ?? 502, up.headers);
          let sent = 0;
          const limit =
            fault && 'cutAfter' in fault ? fault.cutAfter : fault && 'stallAfter' in fault ? fault.stallAfter : Infinity;
          up.on('data', (chunk: Buffer) => {
            const room = limit - sent;
            if (room <= 0) return;
            const part = room < chunk.length ? chunk.subarray(0, room) : chunk;
            sent += part.length;
            entry.bytesDown += part.length;
            this.bytesDown += part.length;
            res.write(part);
            if (sent >= limit && fault && 'cutAfter' in fault) {
              up.destroy();
              // Let the written bytes leave before the connection drops mid-body.
              setTimeout(() => res.socket?.destroy(), 20);
            }
          });
          const stalled = fault !== undefined && 'stallAfter' in fault;
          up.on('end', () => {
            if (!stalled) res.end();
          });
          up.on('error', () => res.socket?.destroy());
        },
      );
      upstream.on('error', () => res.socket?.destroy());
      const held = fault && 'holdLastRequestByte' in fault;
      const requestLimit =
        fault && 'cutRequestAfter' in fault
          ? fault.cutRequestAfter
          : held
            ? Number(req.headers['content-length'] ?? 1) - 1
            : Infinity;
      req.on('data', (chunk: Buffer) => {
        const room = requestLimit - entry.bytesUp;
        if (room <= 0) return;
        const part = room < chunk.length ? chunk.subarray(0, room) : chunk;
        this.bytesUp += part.length;
        entry.bytesUp += part.length;
        upstream.write(part);
        if (entry.bytesUp >= requestLimit && !held) {
          setTimeout(() => {
            upstream.destroy();
            req.socket.destroy();
          }, 20);
        }
      });
      req.on('end', () => {
        if (!held) upstream.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
