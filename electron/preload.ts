import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';

// Channel names repeated here (not imported) so the sandboxed preload bundle stays tiny.
const INVOKE = 'stevedore:invoke';
const SUBSCRIBE = 'stevedore:subscribe';
const UNSUBSCRIBE = 'stevedore:unsubscribe';
const EVENT = 'stevedore:event';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(EVENT, (_event: IpcRendererEvent, topic: string, payload: unknown) => {
  for (const listener of listeners.get(topic) ?? []) listener(payload);
});

/** The page gets exactly two functions; every API method goes through `invoke`. */
contextBridge.exposeInMainWorld('stevedore', {
  invoke: (method: string, args: unknown) => ipcRenderer.invoke(INVOKE, method, args),
  subscribe: (topic: string, listener: Listener) => {
    let set = listeners.get(topic);
    if (!set) {
      set = new Set();
      listeners.set(topic, set);
      ipcRenderer.send(SUBSCRIBE, topic);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        listeners.delete(topic);
        ipcRenderer.send(UNSUBSCRIBE, topic);
      }
    };
  },
});
