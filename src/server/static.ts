import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sendError, sendHtml } from './respond';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PromptPress is not built yet</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>PromptPress is not built yet</h1>
<p>The browser host serves the built user interface, and there is none yet.</p>
<p>Run <code>npm run build:renderer</code> (or start with <code>npm run web</code>, which builds it when needed),
then reload this page.</p>
</body></html>
`;

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + path.sep);
}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

/**
 * Maps a URL path to a file under `root`, or null when the path is malformed or would leave the root. The
 * path is decoded once, so `%2e%2e%2f` is seen as `../` here and refused, like a literal `..`.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const rel = path.posix.normalize(decoded).replace(/^\/+/, '');
  const target = path.resolve(root, rel);
  return isInside(root, target) ? target : null;
}

/**
 * Serves the built renderer from `staticDir`: files by path, and `index.html` for extensionless paths
 * (client-side routes). Never serves anything outside `staticDir`, including through symlinks.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticDir: string,
  pathname: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
    return;
  }
  const root = path.resolve(staticDir);
  const indexFile = path.join(root, 'index.html');
  if (!(await statOrNull(indexFile))?.isFile()) {
    sendHtml(res, 503, NOT_BUILT_PAGE);
    return;
  }
  const target = resolveStaticPath(root, pathname);
  if (target === null) {
    sendError(res, 404, 'NOT_FOUND', 'Not found.');
    return;
  }
  let file = target;
  const stat = await statOrNull(target);
  if (!stat?.isFile()) {
    if (path.extname(target) !== '' && !stat?.isDirectory()) {
      sendError(res, 404, 'NOT_FOUND', 'Not found.');
      return;
    }
    file = indexFile;
  }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
  } catch {
    sendError(res, 404, 'NOT_FOUND', 'Not found.');
    return;
  }
  if (!isInside(realRoot, real)) {
    sendError(res, 404, 'NOT_FOUND', 'Not found.');
    return;
  }
  const size = (await statOrNull(real))?.size;
  if (size === undefined) {
    sendError(res, 404, 'NOT_FOUND', 'Not found.');
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
