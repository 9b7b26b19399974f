import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicRoutes, type AnthropicStubOptions } from './stubAnthropic';
import { openAiRoutes, type OpenAiStubOptions } from './stubOpenAi';
import { createStubBatches, type StubBatches } from './stubBatches';
import { matchRoute, StubHttpError, type RouteTable, type StubReply, type StubRequest } from './stubRoutes';

export {
  StubHttpError,
  type RouteTable,
  type StubReply,
  type StubRequest,
  type StubRoute,
} from './stubRoutes';

/**
 * A local stand-in for LLM providers, speaking their real wire protocols so the official SDKs can be pointed
 * at it through their base URL. Endpoints are a route table ("METHOD /path" → handler), one module per
 * provider (stubAnthropic.ts, stubOpenAi.ts) and one for both providers' batch APIs (stubBatches.ts). Tests steer it
 * with a fault script: the next N requests answer a given status, hang up, are slow or send broken JSON.
 * It is a test tool only: it lives under test/ and the app never offers it as a provider.
 */

export type Fault =
  /**
   * Answer with this status (and its provider's error body); `retryAfter` sets the retry-after header,
   * `code` the error code OpenAI puts in the body (`context_length_exceeded`, `content_filter`).
   */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string; code?: string }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Wait, then answer normally. */
  | { kind: 'slow'; ms: number }
  /** Answer 200 with a body that is not valid JSON. */
  | { kind: 'malformed' };

export interface StubLlmServerOptions {
  anthropic?: AnthropicStubOptions;
  openai?: OpenAiStubOptions;
  /** Extra or replacement routes (a test's own endpoint, or a provider module not wired in yet). */
  routes?: RouteTable;
}

export interface StubLlmServer {
  /** http://127.0.0.1:<port>, the base URL to give an SDK. */
  readonly url: string;
  /** Every request that reached the server, faulted or not, in arrival order. */
  readonly requests: StubRequest[];
  /** Requests to one route ("POST /v1/messages/count_tokens"). */
  requestsTo(route: string): StubRequest[];
  /** Queues a fault for the next `times` requests (to `route` when given). Faults fire in FIFO order. */
  fail(times: number, fault: Fault, route?: string): void;
  /** Delay added before every answer (for concurrency tests). */
  latencyMs: number;
  /** Most requests that were being handled at the same time. */
  readonly maxInFlight: number;
  /** Steers the batch endpoints (Message Batches, Files + Batches): when batches end, what they answer. */
  readonly batches: StubBatches;
  close(): Promise<void>;
}

interface QueuedFault {
  remaining: number;
  fault: Fault;
  route: string | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: StubReply): void {
  const body = reply.text ?? JSON.stringify(reply.json ?? null);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

/** Starts the stub on 127.0.0.1 with a free port. */
export async function startStubLlmServer(options: StubLlmServerOptions = {}): Promise<StubLlmServer> {
  // batch requests are answered through the single-call routes, looked up when a batch runs
  const { routes: batchRoutes, batches } = createStubBatches({
    anthropicKey: options.anthropic?.apiKey,
    openAiKeys: options.openai?.apiKey,
    route: (key) => routes[key],
  });
  const routes: RouteTable = {
    ...batchRoutes,
    ...anthropicRoutes(options.anthropic),
    ...openAiRoutes(options.openai),
    ...options.routes,
  };
  const requests: StubRequest[] = [];
  const faults: QueuedFault[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let requestSeq = 0;

  const takeFault = (key: string): Fault | undefined => {
    const q = faults.find((f) => f.remaining > 0 && (f.route === undefined || f.route === key));
    if (!q) return undefined;
    q.remaining--;
    if (q.remaining === 0) faults.splice(faults.indexOf(q), 1);
    return q.fault;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stub');
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: StubRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: req.headers,
      body,
      raw,
      at: Date.now(),
    };
    requests.push(recorded);
    // a client that hangs up before the answer (a cancelled call) is recorded as such
    res.on('close', () => {
      if (!res.writableFinished) recorded.closedEarly = true;
    });
    const match = matchRoute(routes, key);
    const route = match?.route;
    recorded.params = match?.params;
    const requestId = `req_stub_${String(++requestSeq).padStart(6, '0')}`;
    if (server.latencyMs > 0) await sleep(server.latencyMs);
    if (!route) {
      send(res, {
        status: 404,
        json: { type: 'error', error: { type: 'not_found_error', message: `No route ${key}` } },
      });
      return;
    }
    const fault = takeFault(key);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed') {
      send(res, { status: 200, text: '{"input_tokens": ', headers: { 'request-id': requestId } });
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.ms);
    if (fault?.kind === 'status') {
      send(res, {
        status: fault.status,
        headers: {
          'request-id': requestId,
          ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
        },
        json: route.errorBody(fault.status, fault.message ?? `Injected ${fault.status}.`, fault.code),
      });
      return;
    }
    try {
      const reply = await route.handle(recorded);
      send(res, { ...reply, headers: { 'request-id': requestId, ...reply.headers } });
    } catch (err) {
      if (err instanceof StubHttpError) {
        send(res, {
          status: err.status,
          headers: { 'request-id': requestId, ...err.headers },
          json: route.errorBody(err.status, err.message, err.code),
        });
      } else {
        send(res, { status: 500, json: route.errorBody(500, `Stub failure: ${String(err)}`) });
      }
    }
  };

  const httpServer = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const done = () => {
      inFlight--;
    };
    res.on('close', done);
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  const server: StubLlmServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (route) => requests.filter((r) => `${r.method} ${r.path}` === route),
    fail: (times, fault, route) => {
      if (times > 0) faults.push({ remaining: times, fault, route });
    },
    latencyMs: 0,
    batches,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
  return server;
}
