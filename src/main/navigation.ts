import type { WebContents } from 'electron';
import { isExternalWebUrl } from './appUrl';

export interface NavigationGuardOptions {
  /** True for the app's own page; see createAppUrlMatcher. */
  isAppUrl(url: string): boolean;
  /** Opens a web link in the system browser (shell.openExternal). */
  openExternal(url: string): void;
}

/**
 * Keeps a window on the app's own page: navigations and redirects anywhere else are cancelled, new windows
 * are refused (web links go to the system browser instead), and `<webview>` cannot be attached.
 */
export function installNavigationGuards(contents: WebContents, options: NavigationGuardOptions): void {
  const blockForeign = (event: { url: string; preventDefault(): void }) => {
    if (!options.isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-frame-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) options.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
