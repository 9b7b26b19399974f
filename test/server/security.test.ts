import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';
import {
  generateToken,
  isAllowedHost,
  isAllowedOrigin,
  readCookie,
  tokenCookieName,
  tokensEqual,
} from '../../src/server/security';
import { INDEX_HTML, json, request, startHarness, type Harness, type RawRequest } from './helpers';

/** The first address of a non-loopback interface, if the machine has one. */
function nonLoopbackAddress(): string | undefined {
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      if (!info.internal && info.family === 'IPv4') return info.address;
    }
  }
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      if (!info.internal && info.family === 'IPv6' && !info.address.startsWith('fe80')) return info.address;
    }
  }
  return undefined;
}

function connect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('TIMEOUT');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('listening', () => {
  it('binds 127.0.0.1 only and prints a ready-to-open URL with the token', () => {
    const address = h.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: h.port });
    expect(h.running.origin).toBe(`http://127.0.0.1:${h.port}`);
    expect(h.running.url).toBe(`http://127.0.0.1:${h.port}/?token=${h.token}`);
    expect(h.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('accepts connections on loopback', async () => {
    expect(await connect('127.0.0.1', h.port)).toBe('connected');
  });

  const external = nonLoopbackAddress();
  it.skipIf(external === undefined)(
    `refuses connections on a non-loopback interface (${external ?? 'skipped: this machine has no non-loopback interface'})`,
    async () => {
      // Usually ECONNREFUSED; a firewall that drops packets gives a timeout. Either way, no connection.
      const outcome = await connect(external!, h.port);
      expect(outcome).not.toBe('connected');
      expect(['ECONNREFUSED', 'TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']).toContain(outcome);
    },
  );

  it('uses a different random token on every launch', async () => {
    const other = await startHarness();
    try {
      expect(other.token).not.toBe(h.token);
    } finally {
      await other.close();
    }
  });
});

describe('token', () => {
  it('answers 401 without a token, on pages and on the API', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/api/events', '/api/nothing']) {
      const res = await request(h.port, { path });
      expect(res.status, path).toBe(401);
      expect(json(res).error?.code, path).toBe('UNAUTHORIZED');
      expect(res.body).not.toContain('app');
    }
    const rpc = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(rpc.status).toBe(401);
    expect(rpc.body).not.toContain('PromptPress"');
  });

  it('answers 401 to a wrong token in the query, the header or the cookie', async () => {
    const wrong = generateToken();
    const attempts: RawRequest[] = [
      { path: `/?token=${wrong}` },
      { path: `/?token=` },
      { path: '/', headers: { 'X-PromptPress-Token': wrong } },
      { path: '/', headers: { 'X-PromptPress-Token': h.token.slice(0, -1) } },
      { path: '/', headers: { Cookie: `${tokenCookieName(h.port)}=${wrong}` } },
      // The right token under another port's cookie name is not this server's cookie.
      { path: '/', headers: { Cookie: `${tokenCookieName(h.port + 1)}=${h.token}` } },
    ];
    for (const attempt of attempts) {
      const res = await request(h.port, attempt);
      expect(res.status, JSON.stringify(attempt)).toBe(401);
    }
  });

  it('accepts the token in the X-PromptPress-Token header', async () => {
    const res = await request(h.port, { path: '/', headers: { 'X-PromptPress-Token': h.token } });
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
  });

  it('trades a query token for an HttpOnly SameSite=Strict cookie and a redirect without the token', async () => {
    const first = await request(h.port, { path: `/?token=${h.token}` });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`${tokenCookieName(h.port)}=${h.token}`);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(cookie).toMatch(/;\s*Path=\//i);

    const second = await request(h.port, { path: '/', headers: { Cookie: cookie.split(';')[0]! } });
    expect(second.status).toBe(200);
    expect(second.body).toBe(INDEX_HTML);
  });

  it('keeps the other query parameters and the path when it drops the token', async () => {
    const res = await request(h.port, { path: `/prompts/a?x=1&token=${h.token}&y=2` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/prompts/a?x=1&y=2');
  });

  it('never redirects to another host', async () => {
    const res = await request(h.port, { path: `//evil.example/?token=${h.token}` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/evil.example/');
  });

  it('accepts a query token on the API without redirecting', async () => {
    const res = await request(h.port, {
      method: 'POST',
      path: `/api/rpc/app.info?token=${h.token}`,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(json(res).ok).toBe(true);
  });
});

describe('Host and Origin', () => {
  it('answers 403 to a foreign Host header even with a valid token', async () => {
    const hosts = [
      `evil.example:${h.port}`,
      `127.0.0.1.nip.io:${h.port}`,
      `localhost.evil.example:${h.port}`,
      `127.0.0.1:${h.port + 1}`,
      '127.0.0.1',
      'localhost',
      `0.0.0.0:${h.port}`,
    ];
    for (const host of hosts) {
      const page = await request(h.port, { host, path: '/', headers: { 'X-PromptPress-Token': h.token } });
      expect(page.status, host).toBe(403);
      expect(page.headers['content-type']).toMatch(/^application\/json/);
      expect(json(page)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_HOST' } });
      const api = await request(h.port, {
        host,
        method: 'POST',
        path: '/api/rpc/app.info',
        headers: { 'X-PromptPress-Token': h.token, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(api.status, host).toBe(403);
      const withQuery = await request(h.port, { host, path: `/?token=${h.token}` });
      expect(withQuery.status, host).toBe(403);
      expect(withQuery.headers['set-cookie']).toBeUndefined();
    }
  });

  it('accepts every loopback name with the right port', async () => {
    for (const host of [
      `127.0.0.1:${h.port}`,
      `localhost:${h.port}`,
      `[::1]:${h.port}`,
      `LOCALHOST:${h.port}`,
    ]) {
      const res = await request(h.port, { host, path: '/', headers: { 'X-PromptPress-Token': h.token } });
      expect(res.status, host).toBe(200);
    }
  });

  it('answers 403 to a cross-site Origin', async () => {
    const res = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: {
        'X-PromptPress-Token': h.token,
        'Content-Type': 'application/json',
        Origin: 'http://evil.example',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const same = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: {
        'X-PromptPress-Token': h.token,
        'Content-Type': 'application/json',
        Origin: h.running.origin,
      },
      body: '{}',
    });
    expect(same.status).toBe(200);
  });
});

describe('security headers', () => {
  it('sends the shared CSP and the hardening headers on every response', async () => {
    const responses = [
      await request(h.port, { path: '/', headers: { 'X-PromptPress-Token': h.token } }),
      await request(h.port, { path: '/' }),
      await request(h.port, { path: '/', host: `evil.example:${h.port}` }),
      await request(h.port, { path: '/nope.js', headers: { 'X-PromptPress-Token': h.token } }),
      await request(h.port, { path: '/api/nothing', headers: { 'X-PromptPress-Token': h.token } }),
    ];
    for (const res of responses) {
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('marks API responses no-store', async () => {
    const res = await request(h.port, {
      method: 'POST',
      path: '/api/rpc/app.info',
      headers: { 'X-PromptPress-Token': h.token, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('security helpers', () => {
  it('compares tokens exactly', () => {
    const token = generateToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(`${token}x`, token)).toBe(false);
    expect(
      tokensEqual(token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(), token),
    ).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
    expect(tokensEqual(undefined, token)).toBe(false);
    expect(tokensEqual(null, token)).toBe(false);
  });

  it('checks Host and Origin against loopback names and the port', () => {
    expect(isAllowedHost('127.0.0.1:80', 80)).toBe(true);
    expect(isAllowedHost('localhost:80', 81)).toBe(false);
    expect(isAllowedHost(undefined, 80)).toBe(false);
    expect(isAllowedHost('127.0.0.2:80', 80)).toBe(false);
    expect(isAllowedOrigin(undefined, 80)).toBe(true);
    expect(isAllowedOrigin('http://localhost:80', 80)).toBe(true);
    expect(isAllowedOrigin('null', 80)).toBe(false);
    expect(isAllowedOrigin('https://127.0.0.1:80', 80)).toBe(false);
  });

  it('reads one cookie among many', () => {
    expect(readCookie('a=1; promptpress_token_5=abc; b=2', 'promptpress_token_5')).toBe('abc');
    expect(readCookie('a=1', 'promptpress_token_5')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });
});
