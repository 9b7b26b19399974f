/**
 * The browser host: the built renderer and the backend's routes and events over HTTP on 127.0.0.1, guarded
 * by a per-launch token and a loopback Host check.
 */
import { launchServer, type RunningServer, type StartServerOptions } from './server';

export type { RunningServer, StartServerOptions } from './server';

/**
 * Starts the browser host on 127.0.0.1 and resolves once it listens. Rejects (for example with
 * EADDRINUSE) when the port cannot be bound.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  return (await launchServer(options)).running;
}
