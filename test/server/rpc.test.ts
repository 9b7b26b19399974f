import http from 'node:http';
import { get_encoding } from 'tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server/rpc';
import { json, request, rpc, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Streams `size` bytes as a chunked body (no Content-Length), so the server cannot refuse it up front. */
function postChunked(port: number, token: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/rpc/tokens.count',
        headers: {
          Host: `127.0.0.1:${port}`,
          'Content-Type': 'application/json',
          'X-PromptPress-Token': token,
          'Transfer-Encoding': 'chunked',
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    // The server may close the connection while we are still writing; the response is what counts.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    req.write('{"model":"gpt-4o","text":"');
    pump();
  });
}

describe('POST /api/rpc/:route', () => {
  it('round-trips app.info', async () => {
    const res = await rpc(h, 'app.info', {});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(json(res)).toEqual({
      ok: true,
      data: { name: 'PromptPress', version: expect.any(String), host: 'browser', nativeDialogs: false },
    });
  });

  it('counts tokens exactly as tiktoken o200k_base does', async () => {
    const text = 'You are a careful assistant.\nAnswer in French, then list three risks — briefly! 東京 🚀';
    const enc = get_encoding('o200k_base');
    const expected = enc.encode(text).length;
    enc.free();
    const res = await rpc(h, 'tokens.count', { text, model: 'gpt-4o' });
    expect(res.status).toBe(200);
    expect(json(res)).toMatchObject({
      ok: true,
      data: {
        model: 'gpt-4o',
        encoding: 'o200k_base',
        tokens: expected,
        method: 'exact',
        characters: text.length,
      },
    });
    expect(expected).toBeGreaterThan(10);
  }, 30_000);

  it('treats an empty body as empty input', async () => {
    const res = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: { 'Content-Type': 'application/json', 'X-PromptPress-Token': h.token },
    });
    expect(json(res).ok).toBe(true);
  });

  it('returns INVALID_INPUT and UNKNOWN_ROUTE as results', async () => {
    const invalid = await rpc(h, 'tokens.count', { text: 42, model: 'gpt-4o' });
    expect(invalid.status).toBe(200);
    expect(json(invalid)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(json(invalid).error?.message).toContain('text');

    const unknown = await rpc(h, 'nope.nothing', {});
    expect(unknown.status).toBe(200);
    expect(json(unknown)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ROUTE' } });

    const model = await rpc(h, 'tokens.count', { text: 'hi', model: 'no-such-model' });
    expect(json(model)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MODEL' } });
  });

  it('answers 400 PARSE_ERROR to malformed JSON, without a stack trace', async () => {
    const res = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/tokens.count',
      headers: { 'Content-Type': 'application/json', 'X-PromptPress-Token': h.token },
      body: '{"text": "unterminated',
    });
    expect(res.status).toBe(400);
    expect(json(res)).toMatchObject({ ok: false, error: { code: 'PARSE_ERROR' } });
    expect(res.body).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('requires Content-Type: application/json', async () => {
    for (const headers of [
      { 'Content-Type': 'text/plain' },
      {},
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    ] as Array<Record<string, string>>) {
      const res = await request(h.port, {
        method: 'POST',
        path: '/api/rpc/app.info',
        headers: { ...headers, 'X-PromptPress-Token': h.token },
        body: '{}',
      });
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect(json(res).error?.code).toBe('INVALID_INPUT');
    }
    const withCharset = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-PromptPress-Token': h.token },
      body: '{}',
    });
    expect(withCharset.status).toBe(200);
  });

  it('answers 405 to other methods and 404 to other API paths', async () => {
    const get = await request(h.port, {
      path: '/api/rpc/app.info',
      headers: { 'X-PromptPress-Token': h.token },
    });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(json(get).ok).toBe(false);
    const other = await request(h.port, { path: '/api/other', headers: { 'X-PromptPress-Token': h.token } });
    expect(other.status).toBe(404);
    expect(json(other).error?.code).toBe('UNKNOWN_ROUTE');
  });

  it('answers 413 FILE_TOO_LARGE to a body declared larger than 80 MiB', async () => {
    expect(MAX_BODY_BYTES).toBe(80 * 1024 * 1024);
    const res = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/tokens.count',
      headers: {
        'Content-Type': 'application/json',
        'X-PromptPress-Token': h.token,
        'Content-Length': String(MAX_BODY_BYTES + 1),
      },
      body: '{}',
    });
    expect(res.status).toBe(413);
    expect(json(res)).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE' } });
  });

  it('answers 413 to a streamed body that grows past 80 MiB, and keeps serving', async () => {
    const res = await postChunked(h.port, h.token, MAX_BODY_BYTES + 2 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE' } });
    const after = await rpc(h, 'app.info', {});
    expect(json(after).ok).toBe(true);
  }, 30_000);
});
