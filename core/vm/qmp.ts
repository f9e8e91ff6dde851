import { connect, type Socket } from 'node:net';

/**
 * A QEMU Machine Protocol client (docs/interop/qmp-spec): one JSON object per line; after the
 * greeting, `qmp_capabilities` leaves negotiation mode, then each command gets one `return` or
 * `error`. Asynchronous events (POWERDOWN, SHUTDOWN) are passed to `onEvent`.
 */
export class QmpClient {
  private buffer = '';
  private pending: { resolve: (value: unknown) => void; reject: (err: Error) => void }[] = [];
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly onEvent: (event: string) => void,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    const fail = (err: Error): void => {
      this.closedError = err;
      for (const p of this.pending.splice(0)) p.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('QMP connection closed')));
  }

  /**
   * Connects and negotiates. `timeoutMs`: a QEMU that is stuck (or serving another QMP client:
   * a monitor takes one at a time) does not hold the caller longer than this.
   */
  static async connect(path: string, onEvent: (event: string) => void = () => {}, timeoutMs = 30_000): Promise<QmpClient> {
    const socket = connect(path);
    const timer = setTimeout(() => socket.destroy(new Error(`QMP did not answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      const client = new QmpClient(socket, onEvent);
      // The greeting comes first, answered like a command's return.
      await new Promise((resolve, reject) => client.pending.push({ resolve, reject }));
      await client.execute('qmp_capabilities');
      return client;
    } catch (err) {
      socket.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      const message = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc?: string }; event?: string };
      if (message.event) {
        this.onEvent(message.event);
        continue;
      }
      const waiter = this.pending.shift();
      if (!waiter) continue;
      if (message.error) waiter.reject(new Error(`QMP: ${message.error.desc ?? 'error'}`));
      else waiter.resolve(message.QMP ?? message.return);
    }
  }
}
