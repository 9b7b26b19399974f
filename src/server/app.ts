import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../backend';
import { EVENTS_PATH, handleEvents } from './events';
import { sendError } from './respond';
import { RPC_PREFIX, handleRpc } from './rpc';
import {
  TOKEN_QUERY_PARAM,
  isAllowedHost,
  isAllowedOrigin,
  presentedTokens,
  securityHeaders,
  tokenCookie,
  tokensEqual,
} from './security';
import { serveStatic } from './static';

export interface AppContext {
  backend: Backend;
  staticDir: string;
  token: string;
  /** The port the server listens on; read per request because it is known only after listen(). */
  port(): number;
  /** Open event streams, ended when the server closes. */
  streams: Set<ServerResponse>;
  heartbeatMs?: number;
}

const UNAUTHORIZED_MESSAGE =
  'Missing or wrong access token. Open the URL that `npm run web` printed (it ends with ?token=...).';

/** Drops the token from a URL so it does not linger in the address bar, history or logs. */
function withoutToken(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete(TOKEN_QUERY_PARAM);
  const query = params.toString();
  // A path starting with `//` would be read as another host in the Location header.
  return `/${url.pathname.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
}

async function route(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const port = ctx.port();
  for (const [name, value] of Object.entries(securityHeaders())) res.setHeader(name, value);

  if (!isAllowedHost(req.headers.host, port)) {
    sendError(
      res,
      403,
      'FORBIDDEN_HOST',
      `Open PromptPress as http://127.0.0.1:${port}/ (foreign Host header).`,
    );
    return;
  }
  if (!isAllowedOrigin(req.headers.origin, port)) {
    sendError(res, 403, 'FORBIDDEN_HOST', 'Requests from other sites are not accepted.');
    return;
  }
  const rawUrl = req.url ?? '/';
  if (!rawUrl.startsWith('/')) {
    sendError(res, 400, 'INVALID_INPUT', 'Malformed request URL.');
    return;
  }
  // A fixed base keeps a path such as `//evil.example/` from being parsed as a host.
  const url = new URL(`http://localhost${rawUrl}`);
  const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
  if (isApi) res.setHeader('Cache-Control', 'no-store');

  const presented = presentedTokens(req.headers, url.searchParams, port);
  const queryValid = tokensEqual(presented.query, ctx.token);
  const authorized =
    queryValid || tokensEqual(presented.header, ctx.token) || tokensEqual(presented.cookie, ctx.token);
  if (!authorized) {
    sendError(res, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    return;
  }

  if (presented.query !== null && !isApi && (req.method === 'GET' || req.method === 'HEAD')) {
    if (queryValid) res.setHeader('Set-Cookie', tokenCookie(port, ctx.token));
    res.writeHead(302, { Location: withoutToken(url), 'Cache-Control': 'no-store', 'Content-Length': '0' });
    res.end();
    return;
  }

  if (url.pathname.startsWith(RPC_PREFIX)) {
    await handleRpc(req, res, ctx.backend, url.pathname);
  } else if (url.pathname === EVENTS_PATH) {
    handleEvents(req, res, ctx.backend, ctx.streams, ctx.heartbeatMs);
  } else if (isApi) {
    sendError(
      res,
      404,
      'UNKNOWN_ROUTE',
      `No API endpoint at ${url.pathname}. Routes live under ${RPC_PREFIX}.`,
    );
  } else {
    await serveStatic(req, res, ctx.staticDir, url.pathname);
  }
}

/**
 * The browser host's request handler. Every request passes the Host check (DNS rebinding), the Origin check
 * (cross-site requests) and the token check before it reaches the API or the static files. Nothing thrown
 * here reaches the client as more than a coded INTERNAL error.
 */
export function createRequestHandler(ctx: AppContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    route(ctx, req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`PromptPress server: ${req.method ?? '?'} request failed: ${message}`);
      if (res.headersSent) res.destroy();
      else sendError(res, 500, 'INTERNAL', 'The server could not handle this request.');
    });
  };
}
