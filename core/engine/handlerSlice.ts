import type { Method } from '../api/contract.js';
import type { Handlers } from '../api/router.js';

/** The contract's methods under one prefix (`images` → `images.list`, `images.tag`, …). */
export type MethodsOf<Prefix extends string> = Extract<Method, `${Prefix}.${string}`>;

/** A service's share of the Router's handler map: exactly the methods it answers. */
export type HandlersOf<M extends Method> = Pick<Handlers, M>;
