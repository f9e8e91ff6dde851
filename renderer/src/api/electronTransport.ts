import type { EngineClient } from '../../../core/api/engineClientType';
import type { Transport } from './transport';

/** What electron/preload.ts exposes on `window.stevedore`: an EngineClient's two generic calls and nothing else. */
export type StevedoreBridge = EngineClient;

/**
 * Read through a cast rather than `declare global`, so that this file and the preload can each
 * describe the bridge without two global declarations having to agree.
 */
export function electronBridge(): StevedoreBridge | undefined {
  return (globalThis as { stevedore?: StevedoreBridge }).stevedore;
}

/** IPC to the main process, which lives as long as the window: always connected. */
export function electronTransport(bridge: StevedoreBridge): Transport {
  return {
    invoke: (method, args) => bridge.invoke(method, args),
    subscribe: (topic, cb) => bridge.subscribe(topic, cb),
    status: () => 'open',
    onStatus: () => () => undefined,
  };
}
