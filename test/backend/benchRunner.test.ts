import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findResourcesDir, loadCatalog } from '../../src/backend';
import { createProviderRegistry } from '../../src/backend/providers/registry';
import { createBenchRunner, type BenchProgress } from '../../src/backend/services/benchRunner';
import { variantDeltas, type BenchConfig, type InputCounter } from '../../src/core/bench';
import { isAppError } from '../../src/core/errors';
import { parseCsvTable, type GoldenSet } from '../../src/core/golden';
import { banking77Labels, readGolden } from '../core/scorers/corpora';
import { stubCount, type ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-bench-key-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-bench-key-0002';
const catalog = loadCatalog(findResourcesDir());
const labels = banking77Labels();
/** Ten real BANKING77 test utterances (PolyAI, CC-BY-4.0), one every 300 rows to vary the labels. */
const rows = parseCsvTable(readGolden('banking77/test.csv'), 'banking77/test.csv')
  .rows.map((r) => r.values)
  .filter((_, i) => i % 300 === 0)
  .slice(0, 10);
const labelOf = new Map(rows.map((r) => [r.text!, r.category!]));

const golden: GoldenSet = {
  defaultTest: { vars: {}, assert: [{ type: 'classification', weight: 1, options: { labels } }] },
  cases: rows.map((r, i) => ({
    id: `b77-${i + 1}`,
    vars: { text: r.text },
    expected: r.category!,
    assert: [],
  })),
  source: { file: 'banking77.csv', format: 'csv' },
  warnings: [],
};

const ORIGINAL = `You are a banking support classifier. Read the customer's message and answer with exactly one intent label from the list of 77 BANKING77 intents, nothing else.\n\nMessage: {{text}}`;
const COMPRESSED = `Classify intent (BANKING77 label only).\nMsg: {{text}}`;

/** The two (compressed, gpt-4o-mini) cells of these utterances answer a wrong label. */
const missed = new Set(rows.slice(0, 2).map((r) => r.text!));

function script(req: ChatScriptRequest): string {
  const content = req.messages.at(-1)!.content;
  const text = content.slice(
    content.lastIndexOf('Msg') >= 0
      ? content.indexOf(': ', content.lastIndexOf('Msg')) + 2
      : content.indexOf('Message: ') + 9,
  );
  const label = labelOf.get(text)!;
  if (req.model === 'gpt-4o-mini' && content.startsWith('Classify') && missed.has(text))
    return label === 'card_arrival' ? 'lost_or_stolen_card' : 'card_arrival';
  return req.provider === 'anthropic' ? `Intent: ${label}` : label;
}

const counter: InputCounter = {
  count: (_ref, p) => stubCount((p.system ?? '') + p.messages.map((m) => m.content).join('')),
  method: () => 'o200k_base (stub)',
};

let stub: StubLlmServer;
beforeEach(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
});
afterEach(() => stub.close());

const registry = () =>
  createProviderRegistry({
    anthropic: { apiKey: ANTHROPIC_KEY, baseURL: stub.url },
    openai: { apiKey: OPENAI_KEY, baseURL: `${stub.url}/v1` },
    getCatalog: () => catalog,
    maxRetries: 0,
  });

const config = (extra: Partial<BenchConfig> = {}): BenchConfig => ({
  golden,
  variants: [
    { name: 'original', template: ORIGINAL },
    { name: 'compressed', template: COMPRESSED },
  ],
  models: ['claude-sonnet-4-0', 'gpt-4o-mini'],
  repeats: 1,
  maxTokens: 20,
  temperature: 0,
  concurrency: 4,
  budgetUsd: 1,
  ...extra,
});

const chatCalls = () =>
  stub.requestsTo('POST /v1/messages').length + stub.requestsTo('POST /v1/chat/completions').length;

describe('bench runner against the stub server', () => {
  it('runs 2 variants × 2 models × 10 BANKING77 cases, reports, and re-runs from the cache for free', async () => {
    const runner = createBenchRunner({ providers: registry(), catalog, counter });
    const events: BenchProgress[] = [];
    const r = await runner.run(config(), { onProgress: (p) => events.push(p) });

    expect(r.status).toBe('completed');
    expect(r.cells).toHaveLength(40);
    expect(r.providerCalls).toBe(40);
    expect(chatCalls()).toBe(40);
    expect(r.estimate.cells).toBe(40);
    expect(r.spentUsd).toBeGreaterThan(0);
    expect(r.spentUsd).toBeLessThanOrEqual(r.estimate.usd);
    expect(r.spentUsd).toBeCloseTo(
      r.cells.reduce((a, c) => a + c.costUsd, 0),
      12,
    );

    const by = (v: string, m: string) => r.groups.find((g) => g.variant === v && g.model === m)!;
    for (const [v, m] of [
      ['original', 'claude-sonnet-4-0'],
      ['original', 'gpt-4o-mini'],
      ['compressed', 'claude-sonnet-4-0'],
    ])
      expect(by(v!, m!)).toMatchObject({
        n: 10,
        passes: 10,
        passRate: 1,
        errors: 0,
        assertions: { classification: 1 },
      });
    const lossy = by('compressed', 'gpt-4o-mini');
    expect(lossy).toMatchObject({ n: 10, passes: 8, passRate: 0.8, assertions: { classification: 0.8 } });
    expect(lossy.passRateCi.low).toBeCloseTo(0.4902, 4);
    expect(lossy.passRateCi.high).toBeCloseTo(0.9433, 4);
    // tokens and costs come from the provider-reported usage
    const orig = by('original', 'gpt-4o-mini');
    expect(orig.tokens.input).toBe(
      r.cells
        .filter((c) => c.variant === 'original' && c.model === 'gpt-4o-mini')
        .reduce((a, c) => a + c.usage!.inputTokens, 0),
    );
    expect(lossy.tokens.input).toBeLessThan(orig.tokens.input);
    expect(lossy.costPerCase!).toBeLessThan(orig.costPerCase!);
    expect(orig.costPer1k).toBeCloseTo(orig.costPerCase! * 1000, 12);
    expect(orig.latencyP50Ms).toBeGreaterThan(0);
    expect(orig.latencyP95Ms!).toBeGreaterThanOrEqual(orig.latencyP50Ms!);

    const deltas = variantDeltas(r.groups, { baseline: 'original', tolerancePts: 2 });
    expect(deltas.find((d) => d.model === 'claude-sonnet-4-0')).toMatchObject({
      qualityDeltaPts: 0,
      verdict: 'kept',
    });
    expect(deltas.find((d) => d.model === 'gpt-4o-mini')).toMatchObject({ verdict: 'dropped' });
    expect(deltas.find((d) => d.model === 'gpt-4o-mini')!.qualityDeltaPts).toBeCloseTo(-20);

    expect(events).toHaveLength(40);
    expect(events.at(-1)).toMatchObject({ done: 40, total: 40, etaMs: 0 });
    expect(events.at(-1)!.spentUsd).toBeCloseTo(r.spentUsd, 12);
    expect(events.map((e) => e.done)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    // the same cells again: no provider call, no spend, same scores
    const again = await runner.run(config());
    expect(chatCalls()).toBe(40);
    expect(again).toMatchObject({ status: 'completed', providerCalls: 0, cachedCells: 40, spentUsd: 0 });
    expect(again.estimate).toMatchObject({ cells: 0, usd: 0 });
    expect(again.cells.every((c) => c.cached && c.costUsd === 0)).toBe(true);
    expect(again.cachedListCostUsd).toBeCloseTo(r.spentUsd, 12);
    expect(again.groups.map((g) => [g.variant, g.model, g.passRate, g.cached])).toEqual(
      r.groups.map((g) => [g.variant, g.model, g.passRate, 10]),
    );
    expect(again.groups[0]!.costPerCase).toBeCloseTo(r.groups[0]!.costPerCase!, 12);

    // one changed variant: only its cells are sent
    const edited = await runner.run(
      config({
        variants: [
          { name: 'original', template: ORIGINAL },
          { name: 'compressed', template: `Brief. ${COMPRESSED}` },
        ],
      }),
    );
    expect(edited).toMatchObject({ providerCalls: 20, cachedCells: 20 });
  });

  it('refuses to start above the cap, without a single provider call', async () => {
    const runner = createBenchRunner({ providers: registry(), catalog, counter });
    const err = await runner.run(config({ budgetUsd: 0.0001 })).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('BUDGET_EXCEEDED');
    expect(stub.requests).toHaveLength(0);
  });

  it('stops before exceeding the cap when the spend outruns the estimate', async () => {
    // a counter that sees no input: the estimate covers only output, so the real spend outruns it
    const blind: InputCounter = { count: () => 0, method: () => 'blind (test)' };
    const runner = createBenchRunner({ providers: registry(), catalog, counter: blind });
    const probe = createBenchRunner({ providers: registry(), catalog, counter: blind });
    const base = config({ concurrency: 1, models: ['gpt-4o-mini'], maxTokens: 1, budgetUsd: 10 });
    const full = await probe.run(base);
    const cap = full.estimate.usd;
    const before = chatCalls();
    const r = await runner.run({ ...base, budgetUsd: cap });
    expect(r.status).toBe('budget-stopped');
    const sent = r.cells.filter((c) => c.status === 'ok');
    const skipped = r.cells.filter((c) => c.status === 'skipped');
    expect(sent.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((c) => c.skipReason === 'budget')).toBe(true);
    expect(chatCalls() - before).toBe(sent.length);
    expect(r.providerCalls).toBe(sent.length);
    // every reservation fitted under the cap when it was made: only the last call's unseen input can go over
    const last = sent.at(-1)!;
    expect(r.spentUsd - last.costUsd).toBeLessThanOrEqual(cap);
    expect(r.groups.reduce((a, g) => a + g.skipped, 0)).toBe(skipped.length);
  });

  it('cancels through an AbortSignal: unsent cells are skipped as cancelled', async () => {
    const runner = createBenchRunner({ providers: registry(), catalog, counter });
    const ac = new AbortController();
    const r = await runner.run(config({ concurrency: 1 }), {
      onProgress: (p) => {
        if (p.done === 3) ac.abort();
      },
      signal: ac.signal,
    });
    expect(r.status).toBe('cancelled');
    expect(r.cells.filter((c) => c.status === 'ok')).toHaveLength(3);
    expect(r.cells.filter((c) => c.skipReason === 'cancelled')).toHaveLength(37);
    expect(chatCalls()).toBe(3);
  });
});
