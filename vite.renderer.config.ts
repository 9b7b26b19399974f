import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

/**
 * The renderer's Vite config, shared by electron-vite (desktop) and by `npm run web` / the e2e tests, which
 * build the same bundle for the browser host.
 */
export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
};

export default rendererConfig;
