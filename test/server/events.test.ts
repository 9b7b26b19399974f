import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatEvent } from '../../src/server/events';
import { request, startHarness, type Harness } from './helpers';

interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Resolves once the text received so far contains `needle`. */
  waitFor(needle: string): Promise<string>;
  received(): string;
  ended: Promise<void>;
  destroy(): void;
}

function openEvents(
  h: Harness,
  headers: Record<string, string> = { 'X-PromptPress-Token': h.token },
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: h.port,
        path: '/api/events',
        headers: { Host: `127.0.0.1:${h.port}`, ...headers },
        agent: false,
      },
      (res) => {
        let text = '';
        const waiters: Array<{ needle: string; resolve: (t: string) => void }> = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          for (const w of [...waiters]) {
            if (text.includes(w.needle)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(text);
            }
          }
        });
        const ended = new Promise<void>((done) => {
          res.on('end', done);
          res.on('close', done);
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          received: () => text,
          waitFor: (needle) =>
            text.includes(needle)
              ? Promise.resolve(text)
              : new Promise((r) => waiters.push({ needle, resolve: r })),
          ended,
          destroy: () => req.destroy(),
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET') reject(err);
    });
  });
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GET /api/events', () => {
  it('delivers backend events as Server-Sent Events', async () => {
    h = await startHarness();
    const stream = await openEvents(h);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('no-store');
    await stream.waitFor(': connected');

    h.backend.events.emit('workspace.changed', { root: '/ws', paths: ['prompts/a.md', 'b "quoted".txt'] });
    const text = await stream.waitFor('event: workspace.changed');
    const block = text.slice(text.indexOf('event: workspace.changed'));
    const [eventLine, dataLine] = block.split('\n');
    expect(eventLine).toBe('event: workspace.changed');
    expect(JSON.parse(dataLine!.replace(/^data: /, ''))).toEqual({
      root: '/ws',
      paths: ['prompts/a.md', 'b "quoted".txt'],
    });
    stream.destroy();
  });

  it('sends every event to every open stream', async () => {
    h = await startHarness();
    const a = await openEvents(h);
    const b = await openEvents(h);
    await Promise.all([a.waitFor(': connected'), b.waitFor(': connected')]);
    h.backend.events.emit('workspace.changed', { root: '/one', paths: [] });
    h.backend.events.emit('workspace.changed', { root: '/two', paths: [] });
    for (const s of [a, b]) {
      const text = await s.waitFor('"/two"');
      expect(text.indexOf('"/one"')).toBeLessThan(text.indexOf('"/two"'));
      s.destroy();
    }
  });

  it('refuses a stream without the token', async () => {
    h = await startHarness();
    const res = await request(h.port, { path: '/api/events' });
    expect(res.status).toBe(401);
  });

  it('sends a heartbeat comment', async () => {
    h = await startHarness({ heartbeatMs: 20 });
    const stream = await openEvents(h);
    await stream.waitFor(': heartbeat');
    stream.destroy();
  });

  it('unsubscribes from the backend when the client goes away', async () => {
    h = await startHarness();
    const unsubscribed = vi.fn();
    const original = h.backend.events.subscribe.bind(h.backend.events);
    vi.spyOn(h.backend.events, 'subscribe').mockImplementation((listener) => {
      const off = original(listener);
      return () => {
        unsubscribed();
        return off();
      };
    });
    const stream = await openEvents(h);
    await stream.waitFor(': connected');
    expect(h.backend.events.subscribe).toHaveBeenCalledTimes(1);
    stream.destroy();
    await vi.waitFor(() => expect(unsubscribed).toHaveBeenCalledTimes(1));
    // Emitting after the client left must not throw or write to a dead socket.
    expect(() => h!.backend.events.emit('workspace.changed', { root: '/x', paths: [] })).not.toThrow();
  });

  it('ends open streams when the server closes', async () => {
    h = await startHarness();
    const stream = await openEvents(h);
    await stream.waitFor(': connected');
    const closing = h.running.close();
    await stream.ended;
    await closing;
  });

  it('answers 405 to a POST', async () => {
    h = await startHarness();
    const res = await request(h.port, {
      method: 'POST',
      path: '/api/events',
      headers: { 'X-PromptPress-Token': h.token, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(405);
  });
});

describe('formatEvent', () => {
  it('writes one event block with JSON data', () => {
    expect(formatEvent('workspace.changed', { root: 'a\nb', paths: [] })).toBe(
      'event: workspace.changed\ndata: {"root":"a\\nb","paths":[]}\n\n',
    );
  });
});
