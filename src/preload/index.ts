/**
 * The renderer's only door to the backend, exposed as `window.promptpress`: exactly `invoke` and `on`.
 * ipcRenderer and its event objects never cross into the page, so a compromised page can reach nothing but
 * the contract's routes.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
// bridge.ts, not contract.ts: the contract would bundle zod and every schema into the sandboxed preload.
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type BridgeApi } from '../shared/bridge';

const api: BridgeApi = {
  invoke(route, input) {
    if (typeof route !== 'string') return Promise.reject(new TypeError('invoke: route must be a string'));
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, route, input);
  },
  on(event, listener) {
    if (typeof event !== 'string' || typeof listener !== 'function') {
      throw new TypeError('on: expected an event name and a listener function');
    }
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('promptpress', api);
