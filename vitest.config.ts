import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const node = (name: string, extra: Record<string, unknown> = {}) => ({
  test: { name, include: [`test/${name}/**/*.test.ts`], environment: 'node', ...extra },
});

export default defineConfig({
  test: {
    projects: [
      // generous limits: they catch hangs, not slowness (speed is measured in bench/), and CI has 2 cores
      node('core', { testTimeout: 30_000 }),
      node('shared', { testTimeout: 30_000 }),
      node('backend', { testTimeout: 30_000, hookTimeout: 60_000 }),
      node('cli', { testTimeout: 30_000 }),
      node('server', { testTimeout: 30_000 }),
      // main's first test imports the whole backend (SDKs, libsql) the way the shell starts
      node('main', { testTimeout: 30_000 }),
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/renderer/support/setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          globalSetup: ['test/e2e/globalSetup.ts'],
        },
      },
    ],
  },
});
