import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    // tiktoken loads its WASM file from its own folder at run time, and libsql its prebuilt N-API binary
    // (@libsql/<platform>), so both stay in node_modules.
    build: { rolldownOptions: { external: ['tiktoken', 'libsql'] } },
  },
  preload: {
    // Sandboxed preloads cannot be ES modules; CommonJS output is written as out/preload/index.cjs.
    build: { externalizeDeps: false, rolldownOptions: { output: { format: 'cjs' } } },
  },
  renderer: rendererConfig,
});
