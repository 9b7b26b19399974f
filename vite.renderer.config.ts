import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';

/**
 * In development (Vite middleware or dev server) React Refresh injects an inline script and HMR talks over
 * a WebSocket, which the production CSP rightly forbids; loosen exactly those two directives when serving.
 * Built files keep the strict policy from index.html.
 */
function devCsp(): Plugin {
  return {
    name: 'promptpress:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: wss:");
    },
  };
}

/**
 * The renderer's Vite config, shared by electron-vite (desktop) and by `npm run web` / the e2e tests, which
 * build the same bundle for the browser host.
 */
export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react(), devCsp()],
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
};

export default rendererConfig;
