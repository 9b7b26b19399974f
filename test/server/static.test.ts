import { symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticPath } from '../../src/server/static';
import { findStaticDir } from '../../src/server/server';
import { INDEX_HTML, SECRET, request, startHarness, type Harness } from './helpers';

let h: Harness;
const get = (p: string, method = 'GET') =>
  request(h.port, { method, path: p, headers: { 'X-PromptPress-Token': h.token } });

beforeAll(async () => {
  h = await startHarness();
  const files: Record<string, string> = {
    'assets/style.css': 'body{}',
    'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'assets/icon.png': 'png',
    'assets/font.woff2': 'woff2',
    'assets/font.ttf': 'ttf',
    'assets/data.json': '{}',
    'assets/app.js.map': '{}',
    'assets/tiktoken_bg.wasm': 'wasm',
  };
  for (const [rel, content] of Object.entries(files)) writeFileSync(path.join(h.staticDir, rel), content);
  symlinkSync(path.join(h.root, 'secret.txt'), path.join(h.staticDir, 'link.txt'));
  symlinkSync(h.root, path.join(h.staticDir, 'up'));
});
afterAll(async () => {
  await h.close();
});

describe('static files', () => {
  it('serves index.html at / with the right type', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(INDEX_HTML.length));
  });

  it('serves files with their content types', async () => {
    const expected: Record<string, RegExp> = {
      '/assets/app.js': /^text\/javascript/,
      '/assets/style.css': /^text\/css/,
      '/assets/logo.svg': /^image\/svg\+xml$/,
      '/assets/icon.png': /^image\/png$/,
      '/assets/font.woff2': /^font\/woff2$/,
      '/assets/font.ttf': /^font\/ttf$/,
      '/assets/data.json': /^application\/json/,
      '/assets/app.js.map': /^application\/json/,
      '/assets/tiktoken_bg.wasm': /^application\/wasm$/,
      '/index.html': /^text\/html/,
    };
    for (const [p, type] of Object.entries(expected)) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers['content-type'], p).toMatch(type);
    }
    expect((await get('/assets/app.js')).body).toBe('console.log("app");\n');
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
  });

  it('falls back to index.html for client-side routes but not for missing files', async () => {
    for (const p of ['/workspace', '/prompts/system/airline', '/assets']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.body, p).toBe(INDEX_HTML);
    }
    const missing = await get('/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('never serves a file outside staticDir', async () => {
    const attempts = [
      '/../secret.txt',
      '/../package.json',
      '/../../../../../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%2E%2E%2Fpackage.json',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/secret.txt%00.html',
      '/link.txt',
      '/up/secret.txt',
      '/up/package.json',
      `/${'..%2f'.repeat(12)}etc%2fpasswd`,
    ];
    for (const p of attempts) {
      const res = await get(p);
      expect(res.body, p).not.toContain(SECRET);
      expect(res.body, p).not.toContain('root:x:0:0');
      expect([200, 400, 404], p).toContain(res.status);
      if (res.status === 200) expect(res.body, p).toBe(INDEX_HTML);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe('20');
    const del = await get('/index.html', 'DELETE');
    expect(del.status).toBe(405);
  });

  it('explains how to build the renderer when staticDir has no index.html', async () => {
    const bare = await startHarness({ withIndex: false });
    try {
      const res = await request(bare.port, { path: '/', headers: { 'X-PromptPress-Token': bare.token } });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('npm run build:renderer');
      // Building while the server runs is enough: no restart needed.
      writeFileSync(path.join(bare.staticDir, 'index.html'), INDEX_HTML);
      const after = await request(bare.port, { path: '/', headers: { 'X-PromptPress-Token': bare.token } });
      expect(after.status).toBe(200);
      unlinkSync(path.join(bare.staticDir, 'index.html'));
    } finally {
      await bare.close();
    }
  });
});

describe('resolveStaticPath', () => {
  const root = path.resolve('/srv/static');
  it('maps URL paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(root);
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveStaticPath(root, '/a%20b.js')).toBe(path.join(root, 'a b.js'));
  });
  it('refuses traversal, backslashes, NUL and bad encoding', () => {
    for (const p of ['/../x', '/a/../../x', '/%2e%2e/x', '/..%2fx', '/..%5cx', '/a%00', '/%E0%A4%A']) {
      expect(resolveStaticPath(root, p), p).toBeNull();
    }
  });
});

describe('findStaticDir', () => {
  it('points at out/renderer of this checkout', () => {
    const dir = findStaticDir();
    expect(dir.endsWith(path.join('out', 'renderer'))).toBe(true);
    expect(path.dirname(path.dirname(dir))).toBe(path.resolve(import.meta.dirname, '..', '..'));
  });
});
