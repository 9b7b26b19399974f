import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../backend';
import { sendError } from './respond';

export const EVENTS_PATH = '/api/events';
export const HEARTBEAT_MS = 15_000;

/** Formats one Server-Sent Event. Event names are contract keys and JSON has no raw newlines. */
export function formatEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload ?? null)}\n\n`;
}

/**
 * `GET /api/events`: streams every backend event to the client as Server-Sent Events until the client goes
 * away or `streams` is ended by the server's close(). A comment line every `heartbeatMs` keeps proxies and
 * idle timers from dropping the connection and lets the server notice a dead client.
 */
export function handleEvents(
  req: IncomingMessage,
  res: ServerResponse,
  backend: Backend,
  streams: Set<ServerResponse>,
  heartbeatMs = HEARTBEAT_MS,
): void {
  if (req.method !== 'GET') {
    sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Subscribe to events with GET.', { Allow: 'GET' });
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  req.socket.setNoDelay(true);
  const write = (chunk: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(chunk);
  };
  const unsubscribe = backend.events.subscribe((name, payload) => write(formatEvent(name, payload)));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  streams.add(res);
  let closed = false;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(res);
  };
  res.on('close', cleanup);
  res.on('error', cleanup);
  // The first bytes tell the client (and the tests) that the subscription is live.
  write('retry: 2000\n: connected\n\n');
}
