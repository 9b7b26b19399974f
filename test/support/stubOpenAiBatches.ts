import type { StubBatch, StubBatchStore } from './stubBatches';
import { openAiErrorBody } from './stubOpenAi';
import { StubHttpError, type RouteTable, type StubRequest, type StubRoute } from './stubRoutes';

/**
 * OpenAI Files + Batches for the stub LLM server: `POST /v1/files` (multipart upload), `GET /v1/files/:id/content`,
 * `DELETE /v1/files/:id`, `POST /v1/batches`, `GET /v1/batches/:id`, `POST /v1/batches/:id/cancel`, in the API
 * reference's wire format. The input file is validated like the API does (one JSON object per line, unique
 * custom_id, POST to the batch's endpoint, one model); a bad file fails the batch on its first poll with
 * `errors.data`. When a batch ends, successes go to its output file and everything else to its error file
 * (`BatchRequestOutput` lines; requests that never ran carry `batch_cancelled` / `batch_expired`).
 */

interface StubFile {
  id: string;
  filename: string;
  purpose: string;
  createdAt: number;
  content: string;
}

const ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/responses'];
const DAY_S = 24 * 60 * 60;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));

const STATUS = {
  validating: 'validating',
  in_progress: 'in_progress',
  canceling: 'cancelling',
  failed: 'failed',
} as const;
const ENDED = { completed: 'completed', canceled: 'cancelled', expired: 'expired' } as const;

/** Validates an input file; returns the requests and the errors that fail the batch. */
function parseInput(content: string, endpoint: string) {
  const items: StubBatch['items'] = [];
  const errors: NonNullable<StubBatch['openai']>['errors'] = [];
  const seen = new Set<string>();
  const models = new Set<string>();
  content
    .split('\n')
    .filter((l) => l.trim() !== '')
    .forEach((l, i) => {
      const line = i + 1;
      const fail = (code: string, message: string, param: string | null = null) =>
        void errors.push({ code, message, line, param });
      let r: unknown;
      try {
        r = JSON.parse(l);
      } catch {
        return fail('invalid_json_line', 'This line is not parseable as valid JSON.');
      }
      if (!isRecord(r) || typeof r.custom_id !== 'string')
        return fail('missing_required_parameter', 'Missing custom_id.', 'custom_id');
      if (seen.has(r.custom_id))
        return fail('duplicate_custom_id', `The custom_id ${r.custom_id} is not unique.`, 'custom_id');
      if (r.method !== 'POST') return fail('invalid_method', 'Only POST is supported.', 'method');
      if (r.url !== endpoint)
        return fail('mismatched_endpoint', `The url must match the batch's endpoint ${endpoint}.`, 'url');
      if (!isRecord(r.body)) return fail('missing_required_parameter', 'Missing body.', 'body');
      seen.add(r.custom_id);
      models.add(String(r.body.model));
      items.push({ customId: r.custom_id, route: `POST ${endpoint}`, body: r.body });
    });
  if (models.size > 1) {
    errors.push({
      code: 'mixed_model',
      message: 'All requests in a batch must use the same model.',
      line: null,
      param: 'body.model',
    });
  }
  if (items.length === 0 && errors.length === 0) {
    errors.push({ code: 'empty_file', message: 'The input file has no requests.', line: null, param: null });
  }
  return { items, errors };
}

/** The OpenAI Files and Batches routes over the shared batch store. */
export function openAiBatchRoutes(store: StubBatchStore, keys: string[]): RouteTable {
  const files = new Map<string, StubFile>();
  const route = (handle: StubRoute['handle']): StubRoute => ({
    handle: (req) => {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given) throw new StubHttpError(401, "You didn't provide an API key.");
      if (!keys.includes(given))
        throw new StubHttpError(
          401,
          `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-2)}.`,
        );
      return handle(req);
    },
    errorBody: openAiErrorBody,
  });
  const fileObject = (f: StubFile) => ({
    id: f.id,
    object: 'file',
    bytes: Buffer.byteLength(f.content),
    created_at: seconds(f.createdAt),
    filename: f.filename,
    purpose: f.purpose,
    status: 'processed',
  });
  const addFile = (filename: string, purpose: string, content: string): StubFile => {
    const f = { id: store.nextId('file-stub'), filename, purpose, createdAt: Date.now(), content };
    files.set(f.id, f);
    return f;
  };
  const find = (req: StubRequest) => {
    const b = store.find(req.params?.id ?? '');
    if (!b || b.provider !== 'openai')
      throw new StubHttpError(404, `No batch found with id '${req.params?.id ?? ''}'.`);
    return b;
  };
  /** Writes an ended batch's output and error files, once. */
  const writeFiles = (b: StubBatch, o: NonNullable<StubBatch['openai']>) => {
    if (b.phase !== 'ended' || o.outputFileId !== undefined) return;
    const out: string[] = [];
    const err: string[] = [];
    for (const item of b.items) {
      const x = item.outcome;
      const id = store.nextId('batch_req_stub');
      const line = (response: unknown, error: unknown) =>
        JSON.stringify({ id, custom_id: item.customId, response, error });
      if (x?.type === 'succeeded')
        out.push(line({ status_code: 200, request_id: x.requestId, body: x.body }, null));
      else if (x?.type === 'errored')
        err.push(line({ status_code: x.status, request_id: x.requestId, body: x.body }, null));
      else {
        const code = x?.type === 'expired' ? 'batch_expired' : 'batch_cancelled';
        const message =
          code === 'batch_expired'
            ? 'This request could not be executed before the completion window expired.'
            : 'This request was not executed because the batch was cancelled.';
        err.push(line(null, { code, message }));
      }
    }
    const write = (lines: string[], name: string) =>
      lines.length ? addFile(name, 'batch_output', `${lines.join('\n')}\n`).id : null;
    o.outputFileId = write(out, `${b.id}_output.jsonl`);
    o.errorFileId = write(err, `${b.id}_error.jsonl`);
  };
  const render = (b: StubBatch) => {
    const o = b.openai!;
    writeFiles(b, o);
    const count = (type: string) => b.items.filter((i) => i.outcome?.type === type).length;
    const status = b.phase === 'ended' ? ENDED[b.ending ?? 'completed'] : STATUS[b.phase];
    const endedAt = seconds(b.endedAt);
    return {
      id: b.id,
      object: 'batch',
      endpoint: o.endpoint,
      errors: o.errors.length && b.phase === 'failed' ? { object: 'list', data: o.errors } : null,
      input_file_id: o.inputFileId,
      completion_window: '24h',
      status,
      output_file_id: o.outputFileId ?? null,
      error_file_id: o.errorFileId ?? null,
      created_at: seconds(b.createdAt),
      in_progress_at: b.phase === 'validating' ? null : seconds(b.createdAt),
      expires_at: seconds(b.createdAt)! + DAY_S,
      cancelling_at: seconds(b.cancelAt) ?? null,
      completed_at: status === 'completed' ? endedAt : null,
      cancelled_at: status === 'cancelled' ? endedAt : null,
      expired_at: status === 'expired' ? endedAt : null,
      failed_at: status === 'failed' ? seconds(b.createdAt) : null,
      request_counts: {
        total: b.phase === 'validating' || b.phase === 'failed' ? 0 : b.items.length,
        completed: count('succeeded'),
        failed: count('errored'),
      },
      metadata: null,
    };
  };

  return {
    'POST /v1/files': route(async (req) => {
      const type = String(req.headers['content-type'] ?? '');
      if (!type.startsWith('multipart/form-data'))
        throw new StubHttpError(400, 'The request must be multipart/form-data.');
      const form = await new Response(req.raw, { headers: { 'content-type': type } }).formData();
      const file = form.get('file');
      const purpose = form.get('purpose');
      if (typeof file === 'string' || file === null)
        throw new StubHttpError(400, "Missing required parameter: 'file'.");
      if (typeof purpose !== 'string' || purpose === '')
        throw new StubHttpError(400, "Missing required parameter: 'purpose'.");
      return { status: 200, json: fileObject(addFile(file.name, purpose, await file.text())) };
    }),
    'GET /v1/files/:id/content': route((req) => {
      const f = files.get(req.params?.id ?? '');
      if (!f) throw new StubHttpError(404, `No such File object: ${req.params?.id ?? ''}`);
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, text: f.content };
    }),
    'DELETE /v1/files/:id': route((req) => {
      const id = req.params?.id ?? '';
      if (!files.delete(id)) throw new StubHttpError(404, `No such File object: ${id}`);
      return { status: 200, json: { id, object: 'file', deleted: true } };
    }),
    'POST /v1/batches': route((req) => {
      const body = isRecord(req.body) ? req.body : {};
      const input = files.get(String(body.input_file_id));
      if (!input || input.purpose !== 'batch')
        throw new StubHttpError(
          400,
          `Invalid 'input_file_id': '${String(body.input_file_id)}'. No batch input file with that id.`,
        );
      if (typeof body.endpoint !== 'string' || !ENDPOINTS.includes(body.endpoint))
        throw new StubHttpError(400, `Invalid 'endpoint': '${String(body.endpoint)}'.`);
      if (body.completion_window !== '24h')
        throw new StubHttpError(400, "Invalid 'completion_window': only '24h' is supported.");
      const { items, errors } = parseInput(input.content, body.endpoint);
      const b: StubBatch = {
        id: store.nextId('batch_stub'),
        provider: 'openai',
        phase: 'validating',
        items,
        headers: req.headers,
        polls: 0,
        createdAt: Date.now(),
        openai: { endpoint: body.endpoint, inputFileId: input.id, errors },
      };
      store.add(b);
      return { status: 200, json: render(b) };
    }),
    'GET /v1/batches/:id': route(async (req) => {
      const b = find(req);
      await store.polled(b);
      return { status: 200, json: render(b) };
    }),
    'POST /v1/batches/:id/cancel': route((req) => {
      const b = find(req);
      if (b.phase === 'validating' || b.phase === 'in_progress') {
        b.phase = 'canceling';
        b.cancelAt = Date.now();
      } else if (b.phase !== 'canceling') {
        throw new StubHttpError(400, `Cannot cancel a batch with status '${render(b).status}'.`);
      }
      return { status: 200, json: render(b) };
    }),
  };
}
