import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const node = (name: string, extra: Record<string, unknown> = {}) => ({
  test: { name, include: [`test/${name}/**/*.test.ts`], environment: 'node', ...extra },
});

export default defineConfig({
  test: {
    projects: [
      node('core'),
      node('shared'),
      node('backend'),
      node('cli', { testTimeout: 30_000 }),
      node('server'),
      node('main'),
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
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
