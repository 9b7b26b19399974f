import type { IpcMainInvokeEvent } from 'electron';
import { dispatch, type Backend } from '../backend';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/contract';
import type { Result } from '../shared/errors';

/** The part of ipcMain the adapter uses, so tests can pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of a BrowserWindow the adapter uses. */
export interface WindowLike {
  isDestroyed(): boolean;
  webContents: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void };
}

export interface RegisterIpcOptions {
  /** True for the app's own page; calls from any other frame are refused. */
  isAppUrl(url: string): boolean;
}

/**
 * The Electron side of the bridge: `invoke(route, input)` calls on IPC_INVOKE_CHANNEL go through `dispatch`
 * and resolve to its `{ ok, ... }` result; every backend event is sent to every open window on
 * IPC_EVENT_CHANNEL as `(eventName, payload)`. Returns a function that undoes both.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  backend: Backend,
  getWindows: () => readonly WindowLike[],
  options: RegisterIpcOptions,
): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, route, input): Promise<Result<unknown>> => {
    const frameUrl = event.senderFrame?.url;
    if (!frameUrl || !options.isAppUrl(frameUrl)) {
      return Promise.reject(new Error('PromptPress: this page may not call the backend.'));
    }
    return dispatch(backend, typeof route === 'string' ? route : String(route), input);
  });
  const unsubscribe = backend.events.subscribe((name, payload) => {
    for (const win of getWindows()) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
