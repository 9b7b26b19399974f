import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../src/backend';
import { createAppUrlMatcher } from '../../src/main/appUrl';
import { registerIpc } from '../../src/main/ipc';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src/shared/contract';
import { FakeIpcMain, FakeWindow } from './fakes';

// The adapter is plain logic over structural types: importing Electron at run time would be a bug.
vi.mock('electron', () => {
  throw new Error('src/main/ipc.ts must not load electron at run time');
});

const APP_URL = 'file:///opt/promptpress/out/renderer/index.html';
const isAppUrl = createAppUrlMatcher(APP_URL);

let dataDir: string;
let backend: Backend;
let ipc: FakeIpcMain;
let windows: FakeWindow[];
let dispose: () => void;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pp-ipc-'));
  backend = createBackend({ host: 'electron', dataDir, watch: false, pickFolder: async () => '/picked' });
  ipc = new FakeIpcMain();
  windows = [new FakeWindow(), new FakeWindow()];
  dispose = registerIpc(ipc, backend, () => windows, { isAppUrl });
});
afterEach(() => {
  dispose();
  backend.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('registerIpc', () => {
  it('registers one handler on the invoke channel', () => {
    expect([...ipc.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
  });

  it('routes an invoke to dispatch and resolves to its result object', async () => {
    expect(await ipc.invoke(IPC_INVOKE_CHANNEL, APP_URL, 'app.info', {})).toEqual({
      ok: true,
      data: { name: 'PromptPress', version: '0.1.0', host: 'electron', nativeDialogs: true },
    });
    expect(await ipc.invoke(IPC_INVOKE_CHANNEL, `${APP_URL}#/editor`, 'workspace.pickFolder', {})).toEqual({
      ok: true,
      data: { path: '/picked' },
    });
  });

  it('returns coded errors as results, not rejections', async () => {
    expect(await ipc.invoke(IPC_INVOKE_CHANNEL, APP_URL, 'tokens.count', { text: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await ipc.invoke(IPC_INVOKE_CHANNEL, APP_URL, 'no.such', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ROUTE' },
    });
    expect(await ipc.invoke(IPC_INVOKE_CHANNEL, APP_URL, 42, {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ROUTE' },
    });
  });

  it('rejects calls from a foreign frame, or from a frame that is gone', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', 'about:blank', '', null]) {
      await expect(ipc.invoke(IPC_INVOKE_CHANNEL, url, 'app.info', {}), String(url)).rejects.toThrow(
        /may not call the backend/,
      );
    }
  });

  it('forwards backend events to every open window', () => {
    windows[1]!.destroyed = true;
    const third = new FakeWindow();
    windows.push(third);
    backend.events.emit('workspace.changed', { root: '/ws', paths: ['a.md'] });
    const expected = [IPC_EVENT_CHANNEL, 'workspace.changed', { root: '/ws', paths: ['a.md'] }];
    expect(windows[0]!.sent).toEqual([expected]);
    expect(windows[1]!.sent).toEqual([]);
    expect(third.sent).toEqual([expected]);
  });

  it('dispose removes the handler and stops forwarding', async () => {
    dispose();
    expect(ipc.handlers.size).toBe(0);
    await expect(ipc.invoke(IPC_INVOKE_CHANNEL, APP_URL, 'app.info', {})).rejects.toThrow(/No handler/);
    backend.events.emit('workspace.changed', { root: '/ws', paths: [] });
    expect(windows[0]!.sent).toEqual([]);
    // Registering again works once the old handler is gone.
    dispose = registerIpc(ipc, backend, () => windows, { isAppUrl });
    expect(ipc.handlers.size).toBe(1);
  });
});
