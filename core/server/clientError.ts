import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * For the http server's `clientError` event (a request Node's parser refuses: garbage bytes, a
 * bad first line, a bad header): answer it and close that connection, as Node's own default does,
 * with a status that says why. Nothing is answered on a connection the client already dropped.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  refuseRaw(socket, status);
}

/** Answers `status` on a raw connection (a refused upgrade, a client error) and closes it. */
export function refuseRaw(socket: Duplex, status: number): void {
  // A client that resets meanwhile must not make the write an unhandled 'error'.
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
