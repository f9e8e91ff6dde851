import type { Server } from 'node:net';

/**
 * The listening sockets that keep a container's published TCP ports taken while it runs. A DNAT
 * rule holds no socket, so without them the kernel hands the port to the next program that asks
 * for a free one (`listen(0)`), and the rule then steals that program's connections. docker keeps
 * them in docker-proxy, podman in conmon; Stevedore gives them to conmon too (or keeps them in the
 * foreground run's own process). UDP ports are not held: Node exposes no descriptor for a bound
 * datagram socket.
 */
export class PortHold {
  constructor(private readonly servers: Server[] = []) {}

  add(server: Server): void {
    this.servers.push(server);
  }

  /** The descriptors, for a child to inherit (spawn's stdio takes an open descriptor's number). */
  descriptors(): number[] {
    // Node has no public accessor for a server's descriptor; `_handle.fd` is the one there is (Unix).
    return this.servers
      .map((s) => (s as unknown as { _handle?: { fd?: number } })._handle?.fd)
      .filter((fd): fd is number => typeof fd === 'number' && fd >= 0);
  }

  /** Closes this process's copies; a child that inherited them keeps the ports. */
  release(): void {
    for (const server of this.servers.splice(0)) server.close();
  }
}

/** Holds by network lease, from the attach until the container's supervisor has them (or the detach). */
const holds = new Map<string, PortHold>();

export function keepPortHold(leaseId: string, hold: PortHold): void {
  holds.get(leaseId)?.release();
  holds.set(leaseId, hold);
}

/** The lease's hold, now the caller's to pass on and release; undefined when it has none. */
export function takePortHold(leaseId: string | undefined): PortHold | undefined {
  if (!leaseId) return undefined;
  const hold = holds.get(leaseId);
  holds.delete(leaseId);
  return hold;
}
