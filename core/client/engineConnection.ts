// The CLI's side of the engine socket (and the vm runtime's, of its machine's agent): one
// WebSocket (RFC 6455) over the unix socket, carrying core/server/socketBridge.ts's messages.
// Written by hand on node:net rather than with ws's client: ws loads http, https, tls, zlib and
// stream at require time, about 6 ms of CPU (node --cpu-prof) in a command that otherwise starts
// in 65; the client needs a tenth of the protocol: one handshake, unfragmented or fragmented
// text frames from the server (never masked, never compressed: no extension is offered), masked
// text frames to it, ping and close.
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { InvokeResponse } from '../api/contract.js';
import type { EngineClient } from '../api/engineClient.js';

/**
 * The engine socket's handshake answers with this header: the Docker config directory the engine
 * reads logins from (URI-encoded). A client whose own differs (another $DOCKER_CONFIG) does the
 * work itself, so that a pull or push always uses the logins the person running it has.
 */
export const DOCKER_CONFIG_HEADER = 'x-stevedore-docker-config';
/** And how it runs containers (core/runtime/runtimeSettings.ts), URI-encoded. */
export const RUNTIME_SETTINGS_HEADER = 'x-stevedore-runtime-settings';

/**
 * Where an engine listens: its unix socket (the file's mode is the access control), or a TCP
 * address with the token it demands (a machine's agent, through QEMU's port forward on loopback),
 * offered as a WebSocket subprotocol as the web bridge takes it (core/api/bridgeProtocol.ts).
 */
export type EngineEndpoint = string | { host: string; port: number; protocols: string[] };

/**
 * A running engine, reached over its socket: an EngineClient whose event payloads are the
 * engine's, unchecked (the engine checked them). A topic is subscribed on the wire once, whatever
 * the number of its listeners, and unsubscribed when its last listener stops.
 */
export interface EngineConnection extends EngineClient {
  /** Where the engine reads registry logins from (Docker's config directory), as its handshake says. */
  readonly dockerConfig: string | undefined;
  /** How it runs containers, as its handshake says (core/runtime/runtimeSettings.ts). */
  readonly runtimeSettings: string | undefined;
  /**
   * Keeps this process alive while something waits on the engine's events (an exec session).
   * Otherwise an idle connection does not hold the process open: a command ends when its calls
   * have answered, whether or not it closes the connection. Returns the function that lets go.
   */
  hold(): () => void;
  close(): void;
  /** Settled when the connection has ended, closed from either side (the engine stopped, crashed). */
  readonly closed: Promise<void>;
}

/** How long an engine may take to answer the handshake before the CLI does the work itself. */
const HANDSHAKE_TIMEOUT_MS = 2000;
const MAX_HEAD = 16 << 10;
const MAX_MESSAGE = 64 << 20;
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0x0, text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** A frame from client to server: final, masked (RFC 6455 5.3). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + 4 + length);
  out[0] = 0x80 | opcode;
  if (header === 2) out[1] = 0x80 | length;
  else if (header === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, header);
  for (let i = 0; i < length; i++) out[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}

/** The status and headers (lower-cased names) of an HTTP response head. */
function parseHead(head: string): { status: number; headers: Map<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers };
}

/**
 * Connects to the engine listening on `socketPath`. Undefined when none answers: no socket,
 * nothing listening (a crashed engine's file), a refused or unanswered handshake.
 */
export function connectToEngine(
  endpoint: EngineEndpoint,
  handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS,
): Promise<EngineConnection | undefined> {
  return new Promise((resolve) => {
    const socket = typeof endpoint === 'string' ? connect(endpoint) : connect(endpoint.port, endpoint.host);
    const protocols = typeof endpoint === 'string' ? [] : endpoint.protocols;
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(`${key}${ACCEPT_GUID}`).digest('base64');
    const pending = new Map<number, { resolve: (r: InvokeResponse) => void; reject: (e: Error) => void }>();
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    let nextId = 1;
    let holds = 0;
    /** Referenced while a call or a hold waits on the engine; unreferenced when idle. */
    const idle = () => {
      if (pending.size === 0 && holds === 0) socket.unref();
    };
    let open = false;
    let ended: () => void = () => undefined;
    const closed = new Promise<void>((resolveClosed) => {
      ended = resolveClosed;
    });
    let buffered: Buffer = Buffer.alloc(0);
    let fragments: Buffer[] = [];
    let fragmentsLength = 0;

    const timer = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
    const send = (opcode: number, payload: Buffer) => {
      if (!socket.destroyed && socket.writable) socket.write(frame(opcode, payload));
    };
    const fail = () => socket.destroy();

    const onMessage = (text: string) => {
      let message:
        | { kind: 'result'; id: number; response: InvokeResponse }
        | { kind: 'event'; topic: string; payload: unknown }
        | { kind: 'error'; message: string };
      try {
        message = JSON.parse(text);
      } catch {
        return fail();
      }
      if (message.kind === 'result') {
        pending.get(message.id)?.resolve(message.response);
        pending.delete(message.id);
        idle();
      } else if (message.kind === 'event') {
        // A copy: a listener may stop listening (or another start) while the event is delivered.
        for (const listener of [...(listeners.get(message.topic) ?? [])]) listener(message.payload);
      }
    };

    /** Takes the complete frames off `buffered`. */
    const readFrames = () => {
      while (buffered.length >= 2) {
        const fin = (buffered[0]! & 0x80) !== 0;
        const opcode = buffered[0]! & 0x0f;
        // A server never masks its frames, and no extension was agreed: reserved bits must be clear.
        if ((buffered[1]! & 0x80) !== 0 || (buffered[0]! & 0x70) !== 0) return fail();
        let length = buffered[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          const long = buffered.readBigUInt64BE(2);
          if (long > BigInt(MAX_MESSAGE)) return fail();
          length = Number(long);
          offset = 10;
        }
        if (buffered.length < offset + length) return;
        const payload = buffered.subarray(offset, offset + length);
        buffered = buffered.subarray(offset + length);
        if (opcode === OP.text || opcode === OP.continuation) {
          fragments.push(payload);
          fragmentsLength += length;
          if (fragmentsLength > MAX_MESSAGE) return fail();
          if (fin) {
            const text = Buffer.concat(fragments, fragmentsLength).toString('utf8');
            fragments = [];
            fragmentsLength = 0;
            onMessage(text);
          }
        } else if (opcode === OP.ping) {
          send(OP.pong, payload);
        } else if (opcode === OP.close) {
          send(OP.close, payload.subarray(0, 2));
          socket.end();
          return;
        } else if (opcode !== OP.pong) {
          return fail();
        }
      }
    };

    socket.once('connect', () => {
      socket.write(
        'GET /api HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n` +
          (protocols.length > 0 ? `Sec-WebSocket-Protocol: ${protocols.join(', ')}\r\n` : '') +
          '\r\n',
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      if (!open) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buffered.length > MAX_HEAD) fail();
          return;
        }
        const { status, headers } = parseHead(buffered.subarray(0, end).toString('latin1'));
        buffered = buffered.subarray(end + 4);
        if (status !== 101 || headers.get('sec-websocket-accept') !== accept) return fail();
        open = true;
        clearTimeout(timer);
        idle();
        const decoded = (name: string) => {
          const value = headers.get(name);
          return value === undefined ? undefined : decodeURIComponent(value);
        };
        resolve({
          dockerConfig: decoded(DOCKER_CONFIG_HEADER),
          runtimeSettings: decoded(RUNTIME_SETTINGS_HEADER),
          closed,
          invoke(method, args) {
            const id = nextId++;
            return new Promise<InvokeResponse>((resolveCall, reject) => {
              if (socket.destroyed || !socket.writable) return reject(new Error('the engine closed the connection'));
              pending.set(id, { resolve: resolveCall, reject });
              socket.ref();
              send(OP.text, Buffer.from(JSON.stringify({ kind: 'invoke', id, method, args })));
            });
          },
          subscribe(topic, listener) {
            // A function of its own per call, so that the same listener given twice is two listeners.
            const entry = (payload: unknown) => listener(payload);
            let forTopic = listeners.get(topic);
            if (!forTopic) {
              forTopic = new Set();
              listeners.set(topic, forTopic);
              send(OP.text, Buffer.from(JSON.stringify({ kind: 'subscribe', topic })));
            }
            forTopic.add(entry);
            return () => {
              const current = listeners.get(topic);
              if (!current?.delete(entry) || current.size > 0) return;
              listeners.delete(topic);
              send(OP.text, Buffer.from(JSON.stringify({ kind: 'unsubscribe', topic })));
            };
          },
          hold() {
            holds += 1;
            socket.ref();
            let held = true;
            return () => {
              if (!held) return;
              held = false;
              holds -= 1;
              idle();
            };
          },
          close() {
            // 1000: normal closure. The engine answers with its own close and ends the connection.
            send(OP.close, Buffer.from([0x03, 0xe8]));
            socket.end();
          },
        });
      }
      readFrames();
    });
    // Failures end in 'close': before the handshake, no engine answers; after, the calls waiting fail.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      if (!open) return resolve(undefined);
      const gone = new Error('the engine closed the connection');
      for (const call of pending.values()) call.reject(gone);
      pending.clear();
      ended();
    });
  });
}
