import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent } from 'electron';
import type { IpcMainLike, WindowLike } from '../../src/main/ipc';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** Behaves like ipcMain.handle: one handler per channel, a second registration throws. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What `ipcRenderer.invoke(channel, ...args)` from a frame at `frameUrl` would get. */
  async invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event = {
      senderFrame: frameUrl === null ? null : { url: frameUrl },
    } as unknown as IpcMainInvokeEvent;
    return handler(event, ...args);
  }
}

export class FakeWindow implements WindowLike {
  destroyed = false;
  readonly sent: unknown[][] = [];
  readonly webContents = {
    isDestroyed: () => this.destroyed,
    send: (channel: string, ...args: unknown[]) => {
      this.sent.push([channel, ...args]);
    },
  };
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** A navigation event as Electron passes it to will-navigate and friends. */
export function navEvent(url: string): { url: string; preventDefault: () => void; prevented: boolean } {
  const event = {
    url,
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

/** Enough of WebContents for the navigation guards. */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}
