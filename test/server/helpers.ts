import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../../src/backend';
import { launchServer, type RunningServer } from '../../src/server/server';
import type { Server } from 'node:http';

export const INDEX_HTML =
  '<!doctype html><html><head><title>PromptPress test</title></head><body>app</body></html>';
export const SECRET = 'TOP-SECRET-OUTSIDE-STATIC-DIR';

export interface Harness {
  backend: Backend;
  running: RunningServer;
  server: Server;
  port: number;
  token: string;
  /** The temp folder holding staticDir, the data dir and a secret file outside staticDir. */
  root: string;
  staticDir: string;
  close(): Promise<void>;
}

/** A real server on a random port over a real backend, with a small static site in a temp folder. */
export async function startHarness(
  options: { withIndex?: boolean; heartbeatMs?: number; backend?: Backend } = {},
): Promise<Harness> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pp-server-'));
  const staticDir = path.join(root, 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  if (options.withIndex !== false) writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");\n');
  writeFileSync(path.join(root, 'secret.txt'), SECRET);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: SECRET }));
  const backend =
    options.backend ?? createBackend({ host: 'browser', dataDir: path.join(root, 'data'), watch: false });
  const { server, running } = await launchServer({
    backend,
    port: 0,
    staticDir,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  return {
    backend,
    running,
    server,
    port: running.port,
    token: running.token,
    root,
    staticDir,
    close: async () => {
      await running.close();
      backend.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  /** Defaults to `127.0.0.1:<port>`; fetch cannot set it, which is why these tests use node:http. */
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP request over a fresh connection, with full control of the headers. */
export function request(port: number, req: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: '127.0.0.1',
        port,
        method: req.method ?? 'GET',
        path: req.path ?? '/',
        headers: { Host: req.host ?? `127.0.0.1:${port}`, ...req.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** A POST to a route with the token header and a JSON body. */
export async function rpc(h: Harness, route: string, input: unknown): Promise<RawResponse> {
  return request(h.port, {
    method: 'POST',
    path: `/api/rpc/${route}`,
    headers: { 'Content-Type': 'application/json', 'X-PromptPress-Token': h.token },
    body: JSON.stringify(input),
  });
}

export function json(res: RawResponse): {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string };
} {
  return JSON.parse(res.body) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
}
