import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the `resources/` folder by walking up from this module: the same code runs from `src/` under tsx,
 * from `out/main/` after electron-vite, and from an installed package.
 */
export function findResourcesDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, 'models.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`PromptPress resources folder not found above ${from}`);
}

/** The per-user app data folder for the browser host and CLI (Electron uses app.getPath('userData')). */
export function defaultDataDir(): string {
  if (process.env.PROMPTPRESS_DATA_DIR) return process.env.PROMPTPRESS_DATA_DIR;
  if (process.platform === 'win32' && process.env.APPDATA)
    return path.join(process.env.APPDATA, 'PromptPress');
  if (process.platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Application Support', 'PromptPress');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'promptpress');
}
