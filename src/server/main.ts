/**
 * `npm run web`: the browser host as a process. Starts the backend and the server, prints the URL to open,
 * and shuts both down on Ctrl+C or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, findResourcesDir } from '../backend';
import { portFromEnv } from './env';
import { startServer, type RunningServer } from './index';

function appVersion(): string | undefined {
  try {
    const pkg = JSON.parse(
      readFileSync(path.join(path.dirname(findResourcesDir()), 'package.json'), 'utf8'),
    ) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const port = portFromEnv(process.env.PROMPTPRESS_PORT);
  if (typeof port !== 'number') {
    console.error(port.error);
    process.exitCode = 1;
    return;
  }
  const version = appVersion();
  const backend = createBackend({
    host: 'browser',
    ...(version ? { version } : {}),
    anthropicApiKey: process.env.ANTHROPIC_API_KEY,
    anthropicBaseURL: process.env.ANTHROPIC_BASE_URL,
    openaiApiKey: process.env.OPENAI_API_KEY,
    openaiBaseURL: process.env.OPENAI_BASE_URL,
    // user endpoints' key variables; keys typed in the page are kept in memory only (docs/architecture.md)
    env: process.env,
  });
  let server: RunningServer;
  try {
    server = await startServer({ backend, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    console.error(`Port ${port} is busy; using a free port instead.`);
    server = await startServer({ backend, port: 0 });
  }

  console.log(`PromptPress is running at ${server.url}`);
  console.log('Open that link in your browser (it carries the access token). Press Ctrl+C to stop.');

  let stoppingSince = 0;
  const stop = () => {
    if (stoppingSince) {
      // The launcher forwards signals that the terminal also delivers, so a repeat within a second is the
      // same Ctrl+C; a later one means "stop now".
      if (Date.now() - stoppingSince > 1000) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    backend.dispose();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`PromptPress could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
