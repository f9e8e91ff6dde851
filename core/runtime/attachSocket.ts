import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SeqpacketSocket } from 'node-unix-socket';
import { StevedoreError } from '../errors.js';

/** A live connection to a running container's stdio, through its supervisor. */
export interface AttachConnection {
  /** The container has a terminal (`-t`). */
  readonly tty: boolean;
  /** The container has a stdin to write to (`-i`). */
  readonly interactive: boolean;
  /** The container's output from the moment of attaching. */
  onOutput(listener: (stream: 'stdout' | 'stderr', data: Buffer) => void): void;
  /** Input for the container's stdin (dropped by conmon when the container has none: not `-i`). */
  write(data: Buffer): void;
  /** No more input from this side; the container's stdin stays open (docker's `run -d -i`). */
  endInput(): void;
  /** The terminal's size, for a container with one. */
  resize(rows: number, cols: number): void;
  /** Lets go of the container (a detach): it keeps running. */
  close(): void;
  /** Settles when the supervisor closes the connection: the container ended. */
  readonly ended: Promise<void>;
}

// conmon's attach protocol: each packet it sends starts with a byte naming the stream (podman's
// AttachPipeStdout and AttachPipeStderr); what the client sends is the container's stdin as is.
const STREAM_OF_BYTE: Record<number, 'stdout' | 'stderr'> = { 2: 'stdout', 3: 'stderr' };
// conmon's STDIO_BUF_SIZE plus the stream byte: the largest packet it sends.
const PACKET_SIZE = 8192 + 1;

/**
 * Connects to conmon's attach socket, a SOCK_SEQPACKET socket at `<bundle>/attach` (Node's net
 * module speaks only SOCK_STREAM, hence node-unix-socket). The path goes through the bundle
 * directory's descriptor in /proc/self/fd, as podman does, so that a long store path does not
 * exceed sun_path's 108 bytes.
 */
export function connectAttach(
  bundleDir: string,
  container: { name: string; tty: boolean; interactive: boolean },
): Promise<AttachConnection> {
  const dirFd = openSync(bundleDir, constants.O_RDONLY | constants.O_DIRECTORY);
  const socket = new SeqpacketSocket();
  socket.setInternalReadBufferSize(PACKET_SIZE);
  const listeners: ((stream: 'stdout' | 'stderr', data: Buffer) => void)[] = [];
  let closed = false;
  const ended = new Promise<void>((resolve) => {
    socket.on('end', () => resolve());
    socket.on('close', () => resolve());
  });
  socket.on('data', (packet: Buffer) => {
    const stream = STREAM_OF_BYTE[packet[0] ?? 0];
    if (stream) for (const l of listeners) l(stream, packet.subarray(1));
  });
  const connection: AttachConnection = {
    tty: container.tty,
    interactive: container.interactive,
    onOutput: (listener) => listeners.push(listener),
    write: (data) => {
      if (!closed && data.length > 0) socket.write(data);
    },
    endInput: () => {
      if (!closed) socket.end();
    },
    resize: (rows, cols) => resizeTerminal(bundleDir, rows, cols),
    close: () => {
      if (closed) return;
      closed = true;
      socket.destroy();
    },
    ended,
  };
  return new Promise((resolve, reject) => {
    socket.once('error', (err: Error) => {
      closeSync(dirFd);
      reject(new StevedoreError('CONFLICT', `cannot attach to container ${container.name}: ${err.message}`));
    });
    socket.connect(`/proc/self/fd/${dirFd}/attach`, () => {
      closeSync(dirFd);
      socket.on('error', () => connection.close());
      resolve(connection);
    });
  });
}

/** conmon's control FIFO (`<bundle>/ctl`): `1 ROWS COLS` resizes the container's terminal. */
function resizeTerminal(bundleDir: string, rows: number, cols: number): void {
  let fd: number;
  try {
    fd = openSync(join(bundleDir, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return; // no terminal, or conmon gone: nothing to resize
  }
  try {
    writeSync(fd, `1 ${rows} ${cols}\n`);
  } catch {
    // a full FIFO: the next resize says it again
  } finally {
    closeSync(fd);
  }
}
