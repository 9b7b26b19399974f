import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call, dispatch } from '../../src/backend/dispatch';
import type { JobProgressEvent } from '../../src/shared/contract';
import { ok } from '../support/fixtures';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-jobs-key-1111';
const MESSAGES = 'POST /v1/messages';
const PROMPT = 'It is really very important that you always answer in a polite and friendly manner.\n';

let stub: StubLlmServer;
let backend: Backend;
let dataDir: string;
let progress: JobProgressEvent[];

beforeEach(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: () => 'Always answer politely.\n' },
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pp-jobs-'));
  backend = createBackend({
    host: 'cli',
    dataDir,
    watch: false,
    anthropicApiKey: ANTHROPIC_KEY,
    anthropicBaseURL: stub.url,
  });
  progress = [];
  backend.events.subscribe((event, payload) => {
    if (event === 'job.progress') progress.push(payload as JobProgressEvent);
  });
});
afterEach(async () => {
  backend.dispose();
  await stub.close();
  await rm(dataDir, { recursive: true, force: true });
});

const rewriteInput = (jobId?: string) => ({
  text: PROMPT,
  pipeline: { version: 1, steps: [{ strategy: 'llm.rewrite', options: { model: 'claude-haiku-4-5' } }] },
  ...(jobId !== undefined ? { jobId } : {}),
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('route calls as jobs (jobId)', () => {
  it('reports each model call of the job with its tokens and price, and forgets the job when it ends', async () => {
    const result = await ok(call(backend, 'compress.run', rewriteInput('rewrite-1')));
    expect(result.llmCalls?.length).toBe(1);
    expect(progress).toHaveLength(1);
    const [event] = progress;
    expect(event!.jobId).toBe('rewrite-1');
    expect(event!.calls).toBe(1);
    expect(event!.inputTokens).toBe(result.llmCalls![0]!.usage.inputTokens);
    expect(event!.outputTokens).toBe(result.llmCalls![0]!.usage.outputTokens);
    expect(event!.spentUsd).toBeCloseTo(result.llmCalls![0]!.usd!, 10);
    expect(backend.jobs.running()).toEqual([]);
  });

  it('a call without a jobId reports nothing (the field is optional)', async () => {
    await ok(call(backend, 'compress.run', rewriteInput()));
    expect(progress).toEqual([]);
  });

  it('jobs.cancel aborts the job’s model call at once: the rewrite step reports PROVIDER_CANCELLED', async () => {
    stub.latencyMs = 5_000;
    const pending = dispatch(backend, 'compress.run', rewriteInput('slow-job'));
    await waitFor(() => stub.requestsTo(MESSAGES).length === 1, 'the rewrite request');
    expect(backend.jobs.running()).toEqual(['slow-job']);
    const started = Date.now();
    expect(await ok(call(backend, 'jobs.cancel', { id: 'slow-job' }))).toEqual({ cancelled: true });
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(4_000);
    // the pipeline still answers (its other steps ran); the rewrite step carries the coded reason
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).toContain('PROVIDER_CANCELLED');
    expect(progress).toEqual([]);
    expect(backend.jobs.running()).toEqual([]);
  });

  it('cancelling a job that is not running says so', async () => {
    expect(await ok(call(backend, 'jobs.cancel', { id: 'nothing-here' }))).toEqual({ cancelled: false });
  });

  it('a malformed job id is INVALID_INPUT and nothing runs', async () => {
    const result = await dispatch(backend, 'compress.run', rewriteInput('bad id with spaces'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
    expect(stub.requestsTo(MESSAGES)).toHaveLength(0);
  });

  it('a route with a strict empty input still accepts a jobId', async () => {
    const result = await dispatch(backend, 'app.info', { jobId: 'info-1' });
    expect(result.ok).toBe(true);
  });
});
