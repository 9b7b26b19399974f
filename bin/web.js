#!/usr/bin/env node
// `npm run web`: builds the renderer when its bundle is missing or stale, then runs the browser host
// (src/server/main.ts under tsx), passing signals through and exiting with its exit code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = path.join(root, 'out', 'renderer', 'index.html');
const rendererSrc = path.join(root, 'src', 'renderer');
/** Everything the renderer bundle is built from. */
const bundleInputs = [
  rendererSrc,
  path.join(root, 'src', 'shared'),
  path.join(root, 'src', 'core'),
  path.join(root, 'vite.renderer.config.ts'),
];

/** The newest modification time of a file or of any file below a folder (0 when there is none). */
function newestMtime(target) {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function rendererIsStale() {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  return bundleInputs.some((input) => newestMtime(input) > built);
}

function buildRenderer() {
  if (!existsSync(path.join(rendererSrc, 'index.html'))) {
    console.error('PromptPress: src/renderer/index.html is missing, so there is no user interface to build.');
    return;
  }
  console.log('PromptPress: building the user interface (vite build)...');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = existsSync(vite)
    ? spawnSync(process.execPath, [vite, 'build', '--config', 'vite.renderer.config.ts'], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'production' },
      })
    : spawnSync('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts'], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'production' },
        shell: process.platform === 'win32',
      });
  if (result.status !== 0) {
    console.error('PromptPress: the user interface did not build; see the errors above.');
    process.exit(result.status ?? 1);
  }
}

if (rendererIsStale()) buildRenderer();

const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), path.join(root, 'src', 'server', 'main.ts')],
  { cwd: root, stdio: 'inherit', env: process.env },
);

const signals = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of signals) process.on(signal, forward);

child.on('error', (err) => {
  console.error(`PromptPress: could not start the server: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  for (const s of signals) process.off(s, forward);
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
