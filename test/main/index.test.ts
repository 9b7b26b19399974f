import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL } from '../../src/shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';
import { FakeWebContents, navEvent, type FakeIpcMain } from './fakes';

/** A stand-in for the parts of Electron that src/main/index.ts wires together. */
const fake = vi.hoisted(() => {
  const userData = { dir: '' };
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const windows: Array<{
    options: Record<string, unknown>;
    loadURL: ReturnType<typeof vi.fn>;
    loadFile: ReturnType<typeof vi.fn>;
    readyToShow?: () => void;
    show: ReturnType<typeof vi.fn>;
  }> = [];
  const session = {
    headers: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
    permission: undefined as undefined | ((wc: unknown, p: string, cb: (g: boolean) => void) => void),
  };
  /** Electron's safeStorage, scrambling reversibly; `calls` records what went through it. */
  const safeStorage = {
    available: true,
    calls: [] as string[],
    isEncryptionAvailable: () => safeStorage.available,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (plain: string) => {
      safeStorage.calls.push('encrypt');
      return Buffer.from(`enc:${Buffer.from(plain).toString('hex')}`);
    },
    decryptString: (encrypted: Buffer) => {
      safeStorage.calls.push('decrypt');
      return Buffer.from(encrypted.toString().slice(4), 'hex').toString();
    },
  };
  return {
    userData,
    appListeners,
    windows,
    session,
    safeStorage,
    ipcMain: undefined as unknown as FakeIpcMain,
  };
});

vi.mock('electron', async () => {
  const { FakeIpcMain: Ipc } = await import('./fakes');
  fake.ipcMain = new Ipc();
  class BrowserWindow {
    static getAllWindows = () => [];
    static getFocusedWindow = () => null;
    readonly loadURL = vi.fn(async () => undefined);
    readonly loadFile = vi.fn(async () => undefined);
    readonly show = vi.fn();
    readonly contentsListeners = new Map<string, (...args: unknown[]) => void>();
    readonly webContents = {
      on: (event: string, fn: (...args: unknown[]) => void) => this.contentsListeners.set(event, fn),
    };
    constructor(options: Record<string, unknown>) {
      fake.windows.push(this as never);
      (this as unknown as { options: unknown }).options = options;
    }
    once(event: string, fn: () => void) {
      if (event === 'ready-to-show') (this as unknown as { readyToShow: () => void }).readyToShow = fn;
    }
  }
  return {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      enableSandbox: vi.fn(),
      on: vi.fn((event: string, fn: (...args: unknown[]) => void) => fake.appListeners.set(event, fn)),
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => (name === 'userData' ? fake.userData.dir : '/nowhere'),
      getVersion: () => '9.9.9',
      isReady: () => true,
      quit: vi.fn(),
    },
    BrowserWindow,
    Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
    dialog: {
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/picked/folder'] })),
      showMessageBoxSync: vi.fn(() => 1),
    },
    ipcMain: fake.ipcMain,
    safeStorage: fake.safeStorage,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof fake.session.headers) => (fake.session.headers = fn) },
        setPermissionRequestHandler: (fn: typeof fake.session.permission) => (fake.session.permission = fn),
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
});

const repo = path.resolve(import.meta.dirname, '..', '..');
const rendererIndex = path.join(repo, 'src', 'renderer', 'index.html');

beforeEach(() => {
  fake.userData.dir ||= mkdtempSync(path.join(os.tmpdir(), 'pp-main-'));
});
afterAll(() => {
  fake.appListeners.get('will-quit')?.();
  rmSync(fake.userData.dir, { recursive: true, force: true });
});

describe('src/main/index.ts wiring', () => {
  it('opens one sandboxed window with the preload and the built renderer', async () => {
    delete process.env.ELECTRON_RENDERER_URL;
    const electron = await import('electron');
    await import('../../src/main/index');
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    const [win] = fake.windows;
    const prefs = win!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(prefs.preload).toBe(path.join(repo, 'src', 'preload', 'index.cjs'));
    await vi.waitFor(() => expect(win!.loadFile).toHaveBeenCalledWith(rendererIndex));
    expect(win!.loadURL).not.toHaveBeenCalled();
    expect(win!.show).not.toHaveBeenCalled();
    win!.readyToShow?.();
    expect(win!.show).toHaveBeenCalled();
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('asks before closing a window whose page blocks unload (unsaved edits)', async () => {
    const electron = await import('electron');
    const [win] = fake.windows as unknown as Array<{ contentsListeners: Map<string, (e: unknown) => void> }>;
    const onPreventUnload = win!.contentsListeners.get('will-prevent-unload');
    expect(onPreventUnload).toBeTypeOf('function');
    const keep = { preventDefault: vi.fn() };
    vi.mocked(electron.dialog.showMessageBoxSync).mockReturnValueOnce(1);
    onPreventUnload!(keep);
    expect(keep.preventDefault).not.toHaveBeenCalled();
    const discard = { preventDefault: vi.fn() };
    vi.mocked(electron.dialog.showMessageBoxSync).mockReturnValueOnce(0);
    onPreventUnload!(discard);
    expect(discard.preventDefault).toHaveBeenCalled();
  });

  it('serves the backend over IPC to the app page only, with the native folder picker', async () => {
    const appUrl = pathToFileURL(rendererIndex).href;
    expect(await fake.ipcMain.invoke(IPC_INVOKE_CHANNEL, appUrl, 'app.info', {})).toEqual({
      ok: true,
      data: { name: 'PromptPress', version: '9.9.9', host: 'electron', nativeDialogs: true },
    });
    expect(await fake.ipcMain.invoke(IPC_INVOKE_CHANNEL, appUrl, 'workspace.pickFolder', {})).toEqual({
      ok: true,
      data: { path: '/picked/folder' },
    });
    const { dialog } = await import('electron');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(
      expect.objectContaining({ properties: ['openDirectory'] }),
    );
    await expect(
      fake.ipcMain.invoke(IPC_INVOKE_CHANNEL, 'https://evil.example/', 'app.info', {}),
    ).rejects.toThrow();
  });

  it('encrypts a key typed in the app with safeStorage, in the app data folder', async () => {
    const appUrl = pathToFileURL(rendererIndex).href;
    const key = 'sk-wired-through-safe-storage-00000-abcd';
    const set = await fake.ipcMain.invoke(IPC_INVOKE_CHANNEL, appUrl, 'providers.setKey', {
      id: 'openai',
      key,
    });
    expect(set).toMatchObject({ ok: true, data: { keySource: 'stored', last4: 'abcd' } });
    expect(fake.safeStorage.calls).toEqual(['encrypt']);
    const file = readFileSync(path.join(fake.userData.dir, 'provider-keys.json'), 'utf8');
    expect(file).not.toContain(key);
    expect(JSON.parse(file).keys.openai).toBeTypeOf('string');
    const list = await fake.ipcMain.invoke(IPC_INVOKE_CHANNEL, appUrl, 'providers.list', {});
    expect(list).toMatchObject({ ok: true, data: { keyStorage: 'encrypted' } });
    expect(JSON.stringify(list)).not.toContain(key);
  });

  it('applies the CSP and denies permissions on the default session', () => {
    const cb = vi.fn();
    fake.session.headers!({ responseHeaders: {} }, cb);
    expect(cb).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    const granted = vi.fn();
    fake.session.permission!({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it('guards every web contents that gets created', async () => {
    const contents = new FakeWebContents();
    fake.appListeners.get('web-contents-created')!({}, contents);
    const foreign = navEvent('https://evil.example/');
    contents.emit('will-navigate', foreign);
    expect(foreign.prevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const { shell } = await import('electron');
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/');
  });

  it('removes the IPC handler when the app quits', () => {
    expect(fake.ipcMain.handlers.has(IPC_INVOKE_CHANNEL)).toBe(true);
    fake.appListeners.get('will-quit')!();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});
