import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatch, type Backend } from '../backend';
import { sendError, sendJson } from './respond';

export const RPC_PREFIX = '/api/rpc/';

/** The largest request body accepted: a 64 MiB prompt plus JSON escaping. */
export const MAX_BODY_BYTES = 80 * 1024 * 1024;

type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: boolean };

/**
 * Reads a request body up to `limit` bytes. A body that declares or reaches a larger size is cut off
 * without buffering the rest.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, tooLarge: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        settle({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => settle({ ok: false, tooLarge: false }));
    req.on('close', () => settle({ ok: false, tooLarge: false }));
  });
}

/** True for `application/json`, with or without parameters such as charset. */
function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Closes the connection once a refusal is sent, so an unread body cannot be taken as the next request. */
function refuseBody(req: IncomingMessage, res: ServerResponse): void {
  res.on('finish', () => req.socket.destroySoon());
}

/** `POST /api/rpc/:route`: the JSON body is the route's input; the answer is dispatch's result object. */
export async function handleRpc(
  req: IncomingMessage,
  res: ServerResponse,
  backend: Backend,
  pathname: string,
): Promise<void> {
  if (req.method !== 'POST') {
    sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Call routes with POST and a JSON body.', { Allow: 'POST' });
    return;
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    refuseBody(req, res);
    sendError(
      res,
      415,
      'INVALID_INPUT',
      'Send the route input as a JSON body with Content-Type: application/json.',
      {
        Connection: 'close',
      },
    );
    return;
  }
  let route: string;
  try {
    route = decodeURIComponent(pathname.slice(RPC_PREFIX.length));
  } catch {
    sendError(res, 400, 'INVALID_INPUT', 'The route name in the URL is not valid percent-encoding.');
    return;
  }
  const read = await readBody(req, MAX_BODY_BYTES);
  if (!read.ok) {
    if (read.tooLarge) {
      refuseBody(req, res);
      sendError(
        res,
        413,
        'FILE_TOO_LARGE',
        `The request is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB, the most one call can carry.`,
        { Connection: 'close' },
      );
    }
    return;
  }
  let input: unknown;
  const text = read.body.toString('utf8');
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch (err) {
      const detail = err instanceof SyntaxError ? `: ${err.message}` : '';
      sendError(res, 400, 'PARSE_ERROR', `The request body is not valid JSON${detail}`);
      return;
    }
  }
  const result = await dispatch(backend, route, input);
  sendJson(res, 200, result);
}
