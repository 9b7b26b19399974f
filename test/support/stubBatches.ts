import type { IncomingHttpHeaders } from 'node:http';
import { anthropicBatchRoutes } from './stubAnthropicBatches';
import { openAiBatchRoutes } from './stubOpenAiBatches';
import { StubHttpError, type RouteTable, type StubRoute } from './stubRoutes';

/**
 * Batch endpoints for the stub LLM server: Anthropic Message Batches (stubAnthropicBatches.ts) and OpenAI
 * Files + Batches (stubOpenAiBatches.ts) over one store of batches, which tests steer through `StubBatches`.
 *
 * A batch never ends by itself unless a test says so: `complete(id)` ends it now, `endAfterPolls` ends every
 * batch on its Nth poll, `process(id, ids)` answers some requests first (so a cancel keeps them), `expire(id)`
 * runs out its window. Each request is answered by its provider's own single-call route (`POST /v1/messages`,
 * `POST /v1/chat/completions`) with the batch creator's headers, so a batch answer has exactly the text and
 * tokenizer-counted usage the same request would get live, and a script that throws StubHttpError for one
 * request makes that request, and only it, fail.
 */

/** What became of one request of a batch. */
export type StubItemOutcome =
  | { type: 'succeeded'; body: unknown; requestId: string }
  | { type: 'errored'; status: number; body: unknown; requestId: string }
  | { type: 'canceled' }
  | { type: 'expired' };

export interface StubBatchItem {
  customId: string;
  /** The single-call route that answers it ("POST /v1/messages"). */
  route: string;
  body: unknown;
  outcome?: StubItemOutcome;
}

export interface StubBatch {
  readonly id: string;
  readonly provider: 'anthropic' | 'openai';
  /** `validating` only for OpenAI, until its first poll; `failed` only when its input did not validate. */
  phase: 'validating' | 'in_progress' | 'canceling' | 'ended' | 'failed';
  /** How an ended batch ended. */
  ending?: 'completed' | 'canceled' | 'expired';
  readonly items: StubBatchItem[];
  /** The creating request's headers, sent with each request when it is answered (its key, its version). */
  readonly headers: IncomingHttpHeaders;
  /** Retrieves so far (the polls `endAfterPolls` counts). */
  polls: number;
  readonly createdAt: number;
  cancelAt?: number;
  endedAt?: number;
  /** OpenAI only: the batch's files and the input's validation errors. */
  openai?: {
    endpoint: string;
    inputFileId: string;
    outputFileId?: string | null;
    errorFileId?: string | null;
    errors: Array<{ code: string; message: string; line: number | null; param: string | null }>;
  };
}

/** How a test steers the batches (`stub.batches`). */
export interface StubBatches {
  /** Every batch, both providers, in creation order. */
  readonly all: readonly StubBatch[];
  /** The batch with this id (throws for an unknown id: a test bug, not a wire error). */
  get(id: string): StubBatch;
  /** Answers these requests (all not yet answered when omitted) without ending the batch. */
  process(id: string, customIds?: string[]): Promise<void>;
  /** Answers every request not yet answered and ends the batch, as if the provider finished it now. */
  complete(id: string): Promise<void>;
  /** Ends the batch as expired: requests not yet answered never run. */
  expire(id: string): void;
  /** When set, every batch ends by itself on this poll (1 = the first retrieve after creation). */
  endAfterPolls: number | undefined;
}

/** What the provider modules get: the store and the shared transitions. */
export interface StubBatchStore extends StubBatches {
  add(batch: StubBatch): void;
  find(id: string): StubBatch | undefined;
  /** Counts a retrieve and moves the batch on: validation, a pending cancel, `endAfterPolls`. */
  polled(batch: StubBatch): Promise<void>;
  finish(batch: StubBatch, ending: 'completed' | 'canceled' | 'expired'): Promise<void>;
  nextId(prefix: string): string;
}

export interface StubBatchOptions {
  /** The Anthropic key the batch routes accept (the Messages routes' key). */
  anthropicKey?: string;
  /** The OpenAI key or keys they accept. */
  openAiKeys?: string | string[];
  /** The server's route table, to answer each request through its single-call route. */
  route: (key: string) => StubRoute | undefined;
}

function createStore(route: StubBatchOptions['route']): StubBatchStore {
  const batches: StubBatch[] = [];
  let seq = 0;
  const answer = async (batch: StubBatch, item: StubBatchItem): Promise<StubItemOutcome> => {
    const r = route(item.route);
    const requestId = `req_stub_batch_${String(++seq).padStart(6, '0')}`;
    if (!r) return { type: 'errored', status: 404, body: { error: `No route ${item.route}` }, requestId };
    try {
      const [, path = ''] = item.route.split(' ');
      const reply = await r.handle({
        method: 'POST',
        path,
        headers: batch.headers,
        body: item.body,
        raw: JSON.stringify(item.body),
      });
      return reply.status === 200
        ? { type: 'succeeded', body: reply.json, requestId }
        : { type: 'errored', status: reply.status, body: reply.json, requestId };
    } catch (err) {
      if (err instanceof StubHttpError) {
        return {
          type: 'errored',
          status: err.status,
          body: r.errorBody(err.status, err.message, err.code),
          requestId,
        };
      }
      return {
        type: 'errored',
        status: 500,
        body: r.errorBody(500, `Stub failure: ${String(err)}`),
        requestId,
      };
    }
  };
  const store: StubBatchStore = {
    get all() {
      return batches;
    },
    endAfterPolls: undefined,
    add: (batch) => void batches.push(batch),
    find: (id) => batches.find((b) => b.id === id),
    nextId: (prefix) => `${prefix}${String(++seq).padStart(6, '0')}`,
    get(id) {
      const b = store.find(id);
      if (!b) throw new Error(`The stub has no batch ${id}`);
      return b;
    },
    async process(id, customIds) {
      const b = store.get(id);
      for (const item of b.items) {
        if (item.outcome || (customIds && !customIds.includes(item.customId))) continue;
        item.outcome = await answer(b, item);
      }
    },
    async finish(batch, ending) {
      if (batch.phase === 'ended' || batch.phase === 'failed') return;
      if (batch.phase === 'validating' && batch.openai?.errors.length) {
        batch.phase = 'failed';
        return;
      }
      if (ending === 'completed') await store.process(batch.id);
      for (const item of batch.items)
        item.outcome ??= { type: ending === 'expired' ? 'expired' : 'canceled' };
      batch.phase = 'ended';
      batch.ending = ending;
      batch.endedAt = Date.now();
    },
    complete: (id) => store.finish(store.get(id), 'completed'),
    expire: (id) => void store.finish(store.get(id), 'expired'),
    async polled(batch) {
      batch.polls++;
      if (batch.phase === 'validating') batch.phase = batch.openai?.errors.length ? 'failed' : 'in_progress';
      if (batch.phase === 'canceling') await store.finish(batch, 'canceled');
      if (
        batch.phase === 'in_progress' &&
        store.endAfterPolls !== undefined &&
        batch.polls >= store.endAfterPolls
      ) {
        await store.finish(batch, 'completed');
      }
    },
  };
  return store;
}

/** The batch routes of both providers and the handle tests steer them with. */
export function createStubBatches(options: StubBatchOptions): { routes: RouteTable; batches: StubBatches } {
  const store = createStore(options.route);
  // the defaults are those of the Messages and Chat routes (stubAnthropic.ts, stubOpenAi.ts)
  const routes = {
    ...anthropicBatchRoutes(store, options.anthropicKey ?? 'sk-ant-stub-key'),
    ...openAiBatchRoutes(store, [options.openAiKeys ?? 'sk-openai-stub-key'].flat()),
  };
  return { routes, batches: store };
}
