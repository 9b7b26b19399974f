import { existsSync } from 'node:fs';
import http, { type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findResourcesDir, type Backend } from '../backend';
import { createRequestHandler } from './app';
import { LOOPBACK_HOST, assertUsableToken, generateToken } from './security';

export interface StartServerOptions {
  backend: Backend;
  /** 0 picks a random free port. */
  port?: number;
  /** The built renderer; defaults to `out/renderer` of this checkout. */
  staticDir?: string;
  /** Defaults to a fresh random token. */
  token?: string;
}

export interface RunningServer {
  /** Ready to open in a browser: includes `?token=`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface LaunchOptions extends StartServerOptions {
  /** Interval of the SSE heartbeat comment (tests shorten it). */
  heartbeatMs?: number;
}

/**
 * Finds `out/renderer` by walking up from this module, like findResourcesDir: the same code runs from
 * `src/server` under tsx and from a built copy. Falls back to the folder next to `resources/`, which may not
 * exist yet (the server then explains how to build it).
 */
export function findStaticDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'out', 'renderer');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(path.dirname(findResourcesDir(from)), 'out', 'renderer');
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host: LOOPBACK_HOST, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the browser host and also hands back the node:http server (for tests that inspect the socket). */
export async function launchServer(
  options: LaunchOptions,
): Promise<{ server: Server; running: RunningServer }> {
  const token = options.token ?? generateToken();
  assertUsableToken(token);
  const staticDir = path.resolve(options.staticDir ?? findStaticDir());
  const streams = new Set<ServerResponse>();
  let port = 0;
  const server = http.createServer(
    createRequestHandler({
      backend: options.backend,
      staticDir,
      token,
      port: () => port,
      streams,
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    }),
  );
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  port = await listen(server, options.port ?? 0);
  server.on('error', (err) => console.error(`PromptPress server error: ${err.message}`));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const stream of streams) stream.end();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  const origin = `http://${LOOPBACK_HOST}:${port}`;
  return {
    server,
    running: { url: `${origin}/?token=${encodeURIComponent(token)}`, origin, port, token, close },
  };
}
