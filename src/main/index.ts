/**
 * The Electron shell: one window over the shared backend. The logic lives in small modules (window options,
 * navigation guards, session security, the IPC adapter); this file only wires them to Electron.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBackend, type Backend } from '../backend';
import { createAppUrlMatcher } from './appUrl';
import { registerIpc } from './ipc';
import { safeStorageAdapter } from './safeStorage';
import { menuTemplate } from './menu';
import { installNavigationGuards } from './navigation';
import { installSessionSecurity } from './session';
import { windowOptions } from './windowOptions';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererFile = path.join(here, '../renderer/index.html');
/** electron-vite's dev server during `npm start`; never honoured in a packaged app. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const isAppUrl = createAppUrlMatcher(devServerUrl ?? pathToFileURL(rendererFile).href);

let backend: Backend | undefined;
let disposeIpc: (() => void) | undefined;

async function pickFolder(): Promise<string | null> {
  const parent = BrowserWindow.getFocusedWindow();
  const options: Electron.OpenDialogOptions = {
    title: 'Open workspace folder',
    properties: ['openDirectory'],
  };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function createWindow(): Promise<BrowserWindow> {
  const win = new BrowserWindow(windowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  // The renderer blocks unload while a prompt has unsaved edits; ask instead of silently refusing to close.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Discard changes and close', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      message: 'You have unsaved changes.',
      detail: 'Closing now discards the edits you have not saved.',
    });
    if (choice === 0) event.preventDefault();
  });
  if (devServerUrl) await win.loadURL(devServerUrl);
  else await win.loadFile(rendererFile);
  return win;
}

function focusExistingWindow(): void {
  const [win] = BrowserWindow.getAllWindows();
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}

// Two instances would share (and race on) the same settings and database.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', focusExistingWindow);
  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuards(contents, { isAppUrl, openExternal: (url) => void shell.openExternal(url) });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
  app.on('will-quit', () => {
    disposeIpc?.();
    backend?.dispose();
  });

  void app.whenReady().then(async () => {
    installSessionSecurity(session.defaultSession);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(menuTemplate({ platform: process.platform, isDev: devServerUrl !== undefined })),
    );
    backend = createBackend({
      host: 'electron',
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      pickFolder,
      // Keys typed in the app are encrypted with the OS (safeStorage); the environment still works, as in the CLI.
      safeStorage: safeStorageAdapter(safeStorage),
      env: process.env,
      anthropicApiKey: process.env.ANTHROPIC_API_KEY,
      openaiApiKey: process.env.OPENAI_API_KEY,
    });
    disposeIpc = registerIpc(ipcMain, backend, () => BrowserWindow.getAllWindows(), { isAppUrl });
    await createWindow();
  });
}
