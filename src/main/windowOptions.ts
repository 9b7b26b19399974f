import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The options of every PromptPress window. The renderer gets no Node, runs sandboxed in an isolated world,
 * and reaches the backend only through the preload's two functions.
 */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'PromptPress',
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 480,
    show: false,
    backgroundColor: '#1e1e1e',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
