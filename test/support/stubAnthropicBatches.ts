import { anthropicErrorBody } from './stubAnthropic';
import type { StubBatch, StubBatchStore } from './stubBatches';
import { StubHttpError, type RouteTable, type StubRequest, type StubRoute } from './stubRoutes';

/**
 * Anthropic Message Batches for the stub LLM server: create, retrieve, results (JSONL at `results_url`) and
 * cancel, in the wire format of the API reference (`message_batch` objects, `MessageBatchIndividualResponse`
 * lines). Request counts stay under `processing` until the whole batch ends, as Anthropic documents.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function authenticate(req: StubRequest, key: string): void {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const given = req.headers['x-api-key'] ?? bearer;
  if (typeof given !== 'string' || given === '') {
    throw new StubHttpError(401, 'x-api-key or Authorization header is required');
  }
  if (given !== key) throw new StubHttpError(401, 'invalid x-api-key');
  if (typeof req.headers['anthropic-version'] !== 'string') {
    throw new StubHttpError(400, 'anthropic-version: header is required');
  }
}

/** A `message_batch` object. `host` builds the absolute results_url the SDK fetches. */
function render(b: StubBatch, host: string): unknown {
  const count = (type: string) => b.items.filter((i) => i.outcome?.type === type).length;
  const ended = b.phase === 'ended';
  return {
    id: b.id,
    type: 'message_batch',
    processing_status: ended ? 'ended' : b.phase === 'canceling' ? 'canceling' : 'in_progress',
    request_counts: {
      processing: ended ? 0 : b.items.length,
      succeeded: ended ? count('succeeded') : 0,
      errored: ended ? count('errored') : 0,
      canceled: ended ? count('canceled') : 0,
      expired: ended ? count('expired') : 0,
    },
    ended_at: iso(b.endedAt),
    created_at: iso(b.createdAt),
    expires_at: iso(b.createdAt + DAY_MS),
    archived_at: null,
    cancel_initiated_at: iso(b.cancelAt),
    results_url: ended ? `http://${host}/v1/messages/batches/${b.id}/results` : null,
  };
}

/** One results line: `{ custom_id, result }` with the request's Message, error, or why it never ran. */
function resultLine(item: StubBatch['items'][number]): unknown {
  const o = item.outcome;
  if (o?.type === 'succeeded')
    return { custom_id: item.customId, result: { type: 'succeeded', message: o.body } };
  if (o?.type === 'errored') {
    const body = isRecord(o.body)
      ? o.body
      : (anthropicErrorBody(o.status, 'error') as Record<string, unknown>);
    return {
      custom_id: item.customId,
      result: { type: 'errored', error: { ...body, request_id: o.requestId } },
    };
  }
  return { custom_id: item.customId, result: { type: o?.type ?? 'canceled' } };
}

/** Validates a create body the way the API does before it accepts a batch. */
function parseRequests(body: unknown): Array<{ customId: string; params: unknown }> {
  if (!isRecord(body) || !Array.isArray(body.requests) || body.requests.length === 0) {
    throw new StubHttpError(400, 'requests: List should have at least 1 item');
  }
  const seen = new Set<string>();
  return body.requests.map((r: unknown, i) => {
    if (!isRecord(r) || typeof r.custom_id !== 'string' || !CUSTOM_ID.test(r.custom_id)) {
      throw new StubHttpError(
        400,
        `requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`,
      );
    }
    if (seen.has(r.custom_id)) {
      throw new StubHttpError(400, `requests.${i}.custom_id: Duplicate custom_id "${r.custom_id}"`);
    }
    seen.add(r.custom_id);
    if (!isRecord(r.params)) throw new StubHttpError(400, `requests.${i}.params: Field required`);
    return { customId: r.custom_id, params: r.params };
  });
}

/** The Message Batches routes over the shared batch store. */
export function anthropicBatchRoutes(store: StubBatchStore, key: string): RouteTable {
  const route = (handle: StubRoute['handle']): StubRoute => ({
    handle: (req) => {
      authenticate(req, key);
      return handle(req);
    },
    errorBody: anthropicErrorBody,
  });
  const find = (req: StubRequest) => {
    const b = store.find(req.params?.id ?? '');
    if (!b || b.provider !== 'anthropic') throw new StubHttpError(404, `No batch ${req.params?.id ?? ''}`);
    return b;
  };
  const host = (req: StubRequest) => req.headers.host ?? '127.0.0.1';

  return {
    'POST /v1/messages/batches': route((req) => {
      const b: StubBatch = {
        id: store.nextId('msgbatch_stub_'),
        provider: 'anthropic',
        phase: 'in_progress',
        items: parseRequests(req.body).map(({ customId, params }) => ({
          customId,
          route: 'POST /v1/messages',
          body: params,
        })),
        headers: req.headers,
        polls: 0,
        createdAt: Date.now(),
      };
      store.add(b);
      return { status: 200, json: render(b, host(req)) };
    }),
    'GET /v1/messages/batches/:id': route(async (req) => {
      const b = find(req);
      await store.polled(b);
      return { status: 200, json: render(b, host(req)) };
    }),
    'GET /v1/messages/batches/:id/results': route((req) => {
      const b = find(req);
      if (b.phase !== 'ended') {
        throw new StubHttpError(
          400,
          `Message Batch ${b.id} has not finished processing; results are not available yet.`,
        );
      }
      // real results come in no set order: reversed here, so a client that relies on order fails its tests
      const lines = [...b.items].reverse().map((item) => JSON.stringify(resultLine(item)));
      return {
        status: 200,
        headers: { 'content-type': 'application/binary' },
        text: `${lines.join('\n')}\n`,
      };
    }),
    'POST /v1/messages/batches/:id/cancel': route((req) => {
      const b = find(req);
      if (b.phase === 'in_progress') {
        // the cancel is carried out on the next poll, as the API moves through `canceling` first
        b.phase = 'canceling';
        b.cancelAt = Date.now();
      } else if (b.phase === 'ended') {
        throw new StubHttpError(400, `Message Batch ${b.id} has already ended and cannot be canceled.`);
      }
      return { status: 200, json: render(b, host(req)) };
    }),
  };
}
