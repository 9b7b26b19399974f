import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: { rollupOptions: { external: ['tiktoken'] } },
  },
  preload: {},
  renderer: rendererConfig,
});
