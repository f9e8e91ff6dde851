import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { PortMapping, PortRequest } from '../../api/containers.schema.js';
import { hostPortName } from '../../api/portSpec.js';
import { StevedoreError } from '../../errors.js';
import { PortHold } from './portHold.js';

/**
 * Gives every request a host port that is free now: not bound by any process (tried by binding
 * it, as the kernel knows best) and not published by another container (those are known from the
 * leases too, as a UDP port is not held). Port 0 asks the kernel for a free one. The TCP ports stay
 * bound in the hold returned, until the caller releases it or hands it to the container's
 * supervisor. Run under the network lock, with every other lease's ports in `taken`.
 */
export async function reserveHostPorts(
  requests: PortRequest[],
  taken: PortMapping[],
): Promise<{ ports: PortMapping[]; hold: PortHold }> {
  const resolved: PortMapping[] = [];
  const hold = new PortHold();
  try {
    for (const request of requests) {
      const others = [...taken, ...resolved];
      if (request.hostPort !== 0) {
        const bound = others.some((p) => clash(p, request)) ? 'in use' : await tryBind(request);
        if (bound === 'in use') throw new StevedoreError('CONFLICT', `port ${hostPortName(request)} is already in use`);
        keep(hold, bound);
        resolved.push({ ...request });
        continue;
      }
      const bound = await freePort(request, others);
      keep(hold, bound);
      resolved.push({ ...request, hostPort: bound.port });
    }
  } catch (err) {
    hold.release();
    throw err;
  }
  return { ports: resolved, hold };
}

/** The same choice, with nothing kept bound: for a caller whose forwarder binds the ports itself (QEMU's hostfwd). */
export async function resolveHostPorts(requests: PortRequest[], taken: PortMapping[]): Promise<PortMapping[]> {
  const { ports, hold } = await reserveHostPorts(requests, taken);
  hold.release();
  return ports;
}

function keep(hold: PortHold, bound: Bound): void {
  if (!bound.server) return;
  // A hold forgotten on some path must not keep a CLI process alive.
  bound.server.unref();
  hold.add(bound.server);
}

function clash(a: Omit<PortMapping, 'containerPort'>, b: Omit<PortMapping, 'containerPort'>): boolean {
  const sameAddress = a.hostIp === b.hostIp || a.hostIp === '0.0.0.0' || b.hostIp === '0.0.0.0';
  return a.protocol === b.protocol && a.hostPort === b.hostPort && sameAddress;
}

interface Bound {
  port: number;
  /** The listening socket, for TCP: the port stays taken while it is open. */
  server?: Server;
}

async function freePort(request: PortRequest, others: PortMapping[]): Promise<Bound> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const bound = await tryBind(request);
    if (bound === 'in use') continue;
    if (!others.some((p) => clash(p, { ...request, hostPort: bound.port }))) return bound;
    bound.server?.close();
  }
  throw new StevedoreError('CONFLICT', `no free host port was found on ${request.hostIp} for ${request.protocol}`);
}

/** Binds the address and port (0: the kernel's choice): a TCP port stays bound, a UDP one is let go at once. */
function tryBind(request: PortRequest): Promise<Bound | 'in use'> {
  const { hostIp, hostPort, protocol } = request;
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve('in use');
      else if (err.code === 'EADDRNOTAVAIL') {
        reject(
          new StevedoreError(
            'INVALID_ARGUMENT',
            `cannot publish port ${hostPortName(request)}: ${hostIp} is not an address of this host`,
          ),
        );
      } else
        reject(new StevedoreError('INTERNAL', `cannot publish port ${hostPortName(request)}: ${err.message}`, { cause: err }));
    };
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', failed);
      socket.bind({ address: hostIp, port: hostPort, exclusive: true }, () => {
        const port = socket.address().port;
        socket.close(() => resolve({ port }));
      });
    } else {
      const server = createServer();
      server.once('error', failed);
      server.listen({ host: hostIp, port: hostPort, exclusive: true }, () => {
        const address = server.address();
        server.off('error', failed);
        resolve({ port: typeof address === 'object' && address ? address.port : hostPort, server });
      });
    }
  });
}
