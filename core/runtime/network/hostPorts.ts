import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { PortMapping, PortRequest } from '../../api/containers.schema.js';
import { hostPortName } from '../../api/portSpec.js';
import { StevedoreError } from '../../errors.js';

/**
 * Gives every request a host port that is free now: not bound by any process (tried by binding
 * it, as the kernel knows best) and not published by another container (DNAT holds no socket, so
 * those are known only from the leases). Port 0 asks the kernel for a free one. Run under the
 * network lock, with every other lease's ports in `taken`.
 */
export async function resolveHostPorts(requests: PortRequest[], taken: PortMapping[]): Promise<PortMapping[]> {
  const resolved: PortMapping[] = [];
  for (const request of requests) {
    const others = [...taken, ...resolved];
    if (request.hostPort !== 0) {
      if (others.some((p) => clash(p, request)) || (await tryBind(request)) === 'in use') {
        throw new StevedoreError('CONFLICT', `port ${hostPortName(request)} is already in use`);
      }
      resolved.push({ ...request });
      continue;
    }
    resolved.push({ ...request, hostPort: await freePort(request, others) });
  }
  return resolved;
}

function clash(a: Omit<PortMapping, 'containerPort'>, b: Omit<PortMapping, 'containerPort'>): boolean {
  const sameAddress = a.hostIp === b.hostIp || a.hostIp === '0.0.0.0' || b.hostIp === '0.0.0.0';
  return a.protocol === b.protocol && a.hostPort === b.hostPort && sameAddress;
}

async function freePort(request: PortRequest, others: PortMapping[]): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await tryBind(request);
    if (typeof port === 'number' && !others.some((p) => clash(p, { ...request, hostPort: port }))) return port;
  }
  throw new StevedoreError('CONFLICT', `no free host port was found on ${request.hostIp} for ${request.protocol}`);
}

/** Binds the address and port (0: the kernel's choice) and lets go at once; the port bound, or 'in use'. */
function tryBind(request: PortRequest): Promise<number | 'in use'> {
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
        socket.close(() => resolve(port));
      });
    } else {
      const server = createServer();
      server.once('error', failed);
      server.listen({ host: hostIp, port: hostPort, exclusive: true }, () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : hostPort;
        server.close(() => resolve(port));
      });
    }
  });
}
