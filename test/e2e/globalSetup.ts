import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { CHROMIUM_PATH } from './support/browser';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT_INDEX = path.join(ROOT, 'out/renderer/index.html');
/** Everything the renderer bundle is built from. */
const INPUTS = ['src/renderer', 'src/shared', 'src/core', 'vite.renderer.config.ts'].map((p) =>
  path.join(ROOT, p),
);

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function rendererIsFresh(): boolean {
  if (!existsSync(OUT_INDEX)) return false;
  const built = statSync(OUT_INDEX).mtimeMs;
  return INPUTS.every((input) => !existsSync(input) || newestMtime(input) < built);
}

/** Checks for Chromium and builds the renderer once for all e2e files (skipped when the build is current). */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The e2e tests drive Debian's Chromium at ${CHROMIUM_PATH}, which is missing. Install it with ` +
        '`sudo apt-get install -y chromium` (.ci/run does this on a fresh machine), then run the tests again.',
    );
  }
  if (rendererIsFresh()) return;
  const started = Date.now();
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(ROOT, 'vite.renderer.config.ts'),
      logLevel: 'warn',
      mode: 'production',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  console.log(`e2e: built the renderer in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
