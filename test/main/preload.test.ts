import type { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { BridgeApi } from '../../src/shared/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src/shared/contract';

const mocks = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  return { exposed, ipcRenderer: undefined as unknown as FakeIpcRenderer };
});

interface FakeIpcRenderer extends EventEmitter {
  invoke: ReturnType<typeof vi.fn>;
}

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const ipcRenderer = Object.assign(new Emitter(), {
    invoke: vi.fn(async (_channel: string, route: string) => ({ ok: true, data: { echoed: route } })),
  });
  mocks.ipcRenderer = ipcRenderer as FakeIpcRenderer;
  return {
    contextBridge: {
      exposeInMainWorld: vi.fn((key: string, api: unknown) => {
        mocks.exposed[key] = api;
      }),
    },
    ipcRenderer,
  };
});

let api: BridgeApi;
beforeAll(async () => {
  await import('../../src/preload/index');
  api = mocks.exposed.promptpress as BridgeApi;
});

/** What the main process's webContents.send(IPC_EVENT_CHANNEL, name, payload) looks like in the preload. */
function sendFromMain(name: string, payload: unknown): void {
  const ipcEvent = { sender: mocks.ipcRenderer, ports: [] };
  mocks.ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, name, payload);
}

describe('preload bridge', () => {
  it('exposes exactly invoke and on, as window.promptpress', () => {
    expect(Object.keys(mocks.exposed)).toEqual(['promptpress']);
    expect(Object.keys(api)).toEqual(['invoke', 'on']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.on).toBe('function');
    expect(Object.values(api)).not.toContain(mocks.ipcRenderer);
  });

  it('invoke calls the main process on the contract invoke channel', async () => {
    const result = await api.invoke('app.info', { a: 1 });
    expect(mocks.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'app.info', { a: 1 });
    expect(result).toEqual({ ok: true, data: { echoed: 'app.info' } });
    await expect(api.invoke(42 as unknown as string, {})).rejects.toThrow(TypeError);
  });

  it('on delivers only its event, only the payload, and unsubscribes', () => {
    const changed = vi.fn();
    const other = vi.fn();
    const offChanged = api.on('workspace.changed', changed);
    const offOther = api.on('something.else', other);
    expect(mocks.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(2);

    sendFromMain('workspace.changed', { root: '/ws', paths: ['a.md'] });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(changed.mock.calls[0]).toEqual([{ root: '/ws', paths: ['a.md'] }]);
    expect(other).not.toHaveBeenCalled();

    offChanged();
    sendFromMain('workspace.changed', { root: '/ws', paths: [] });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(mocks.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    offOther();
    expect(mocks.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    expect(() => api.on('x', 'nope' as unknown as () => void)).toThrow(TypeError);
  });
});
