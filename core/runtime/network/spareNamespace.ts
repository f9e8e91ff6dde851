import type { Lease } from './leaseStore.js';

/**
 * One network namespace on the default bridge made ahead of need, by an engine that lives on (the
 * app's, a daemon's, a machine's agent: keepSpareNamespace). Its next container on that bridge
 * without published ports takes it as it is, its veth on the bridge and its address and route
 * set, and the next spare is made while that container runs: the two `ip` processes and the
 * kernel's veth work leave the start of such a run (containerNetwork.ts). A command-line process
 * makes none: it would not be there to use it.
 *
 * What is kept here is the spare's lease, uncommitted and in this process's name: if the process
 * dies, the next attach on the host reclaims it as it reclaims an attach killed half-way.
 */
export class SpareSlot<T> {
  private ready: T | undefined;
  private making: Promise<void> | undefined;
  private keeping = false;
  /** How the spares made go again: given with the making. */
  private discard: ((spare: T) => Promise<void>) | undefined;

  /** From now on, `refill` makes a spare. */
  keep(): void {
    this.keeping = true;
  }

  /** The spare, if one is ready; the slot is empty after. */
  take(): T | undefined {
    const taken = this.ready;
    this.ready = undefined;
    return taken;
  }

  /**
   * Makes a spare in the background, unless one is kept already or being made. A spare that could
   * not be made is no error: the next container makes its own, as without a spare.
   */
  refill(make: () => Promise<T>, discard: (spare: T) => Promise<void>): void {
    if (!this.keeping || this.ready !== undefined || this.making) return;
    this.discard = discard;
    this.making = make()
      .then(
        (made) => {
          if (this.keeping && this.ready === undefined) this.ready = made;
          else return discard(made);
        },
        () => undefined,
      )
      .catch(() => undefined)
      .finally(() => {
        this.making = undefined;
      });
  }

  /** Once the spare being made, if any, is made (or could not be). */
  async made(): Promise<void> {
    await this.making;
  }

  /** No more spares: the one being made is awaited, and every spare made goes. */
  async drop(): Promise<void> {
    this.keeping = false;
    await this.made();
    const left = this.take();
    if (left !== undefined) await this.discard?.(left);
  }
}

/** This process's spare: its lease (containerNetwork.ts makes and takes it). */
export const spareNamespace = new SpareSlot<Lease>();

/** For an engine that lives on: its containers on the default bridge take a namespace made ahead. */
export function keepSpareNamespace(): void {
  spareNamespace.keep();
}

/** No more spares: the one kept goes (an engine closing). */
export function dropSpareNamespace(): Promise<void> {
  return spareNamespace.drop();
}
