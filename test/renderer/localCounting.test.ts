import { get_encoding } from 'tiktoken';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../src/core/pricing/catalog';
import { typingDelay, UPLOAD_DELAY_MAX_MS } from '../../src/renderer/src/lib/latest';
import { LocalCounter, type TextChange } from '../../src/renderer/src/lib/localCounter';
import {
  disableLocalCounting,
  enableLocalCounting,
  useTokensStore,
} from '../../src/renderer/src/stores/tokens';
import { setTransport } from '../../src/renderer/src/transport';
import { createFakeTransport } from '../../src/renderer/src/transport/fakeTransport';
import { fakeCount, MODELS } from './support/fakeBackend';
import { resetApp } from './support/reset';

const o200k = get_encoding('o200k_base');
const exact = (t: string) => o200k.encode(t, [], []).length;

afterEach(() => {
  disableLocalCounting();
  resetApp();
});

/** Applies Monaco-style changes (offsets into the text before the batch) the slow, obvious way. */
function applyAll(text: string, changes: TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, c.offset) + c.insert + out.slice(c.offset + c.deleteCount);
  }
  return out;
}

describe('LocalCounter', () => {
  it('stays exact through single and multi-cursor edits', () => {
    let text = '# Policy\n\nNever refund more than $200.\nAlways confirm the booking code.\n'.repeat(40);
    const counter = new LocalCounter();
    counter.reset(text);
    expect(counter.count('o200k_base')).toBe(exact(text));
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 300; i++) {
      // a batch of up to three non-overlapping changes, as multi-cursor typing produces
      const offsets = [...new Set([0, 1, 2].map(() => Math.floor(rand() * text.length)))].sort(
        (a, b) => a - b,
      );
      const changes: TextChange[] = offsets.map((offset, k) => ({
        offset,
        deleteCount: Math.min(rand() < 0.5 ? 0 : 2, (offsets[k + 1] ?? text.length) - offset),
        insert: ['a', ' ', '\n', 'ok ', '안녕', '🙂', ''][Math.floor(rand() * 7)]!,
      }));
      text = applyAll(text, changes);
      counter.apply(changes, text);
      expect(counter.count('o200k_base'), `step ${i}`).toBe(exact(text));
    }
  });

  it('resets to the given text when a change was missed, so the count stays exact', () => {
    const counter = new LocalCounter();
    counter.reset('hello world');
    counter.apply([{ offset: 0, deleteCount: 0, insert: 'X' }], 'something else entirely');
    expect(counter.count('o200k_base')).toBe(exact('something else entirely'));
  });
});

describe('LocalCounter on long texts', () => {
  it('verify() catches an edit of the same length the editor did not report, and the count is exact again', () => {
    const counter = new LocalCounter();
    counter.reset('hello world');
    expect(counter.count('o200k_base')).toBe(exact('hello world'));
    // the lengths add up, so apply() trusts it; the texts differ ("X" reported, "Y" typed)
    counter.apply([{ offset: 0, deleteCount: 1, insert: 'X' }], 'Yello world');
    expect(counter.verify()).toBe(false);
    expect(counter.count('o200k_base')).toBe(exact('Yello world'));
    expect(counter.verify()).toBe(true);
  });

  it('warm() counts a long text in slices, follows edits made meanwhile, and ends exact', async () => {
    let text = 'Refunds are possible within 30 days. Never share the code.\n'.repeat(4_000);
    const counter = new LocalCounter();
    counter.reset(text);
    const warming = counter.warm('o200k_base');
    const change = { offset: 10, deleteCount: 0, insert: 'NEW ' };
    text = text.slice(0, 10) + change.insert + text.slice(10);
    counter.apply([change], text);
    await warming;
    expect(counter.has('o200k_base')).toBe(true);
    expect(counter.count('o200k_base')).toBe(exact(text));
  });
});

describe('typingDelay', () => {
  it('waits longer before uploading a longer text, up to its cap, and never less than the base', () => {
    expect(typingDelay(200, 500)).toBe(200);
    expect(typingDelay(200, 300_000)).toBe(500);
    expect(typingDelay(200, 900_000)).toBe(UPLOAD_DELAY_MAX_MS);
    expect(typingDelay(2_000, 900_000)).toBe(2_000);
  });
});

describe('tokens store with in-window counting', () => {
  it('counts exact models locally at once, without a round-trip to the backend', async () => {
    const transport = createFakeTransport({
      'models.list': () => ({ models: MODELS }),
      'settings.get': () => ({ selectedModel: 'gpt-4o' }),
      'tokens.count': ({ text, model }: { text: string; model: string }) => fakeCount(text, model),
    });
    setTransport(transport);
    await enableLocalCounting();
    await useTokensStore.getState().loadModels();
    await useTokensStore.getState().countNow('Answer briefly.');
    useTokensStore
      .getState()
      .schedule('Answer briefly, please.', [{ offset: 14, deleteCount: 0, insert: ', please' }]);
    const { result, pending } = useTokensStore.getState();
    expect(pending).toBe(false);
    expect(result).toMatchObject({
      tokens: exact('Answer briefly, please.'),
      method: 'exact',
      encoding: 'o200k_base',
    });
    expect(result!.cost.usd).toBeCloseTo((exact('Answer briefly, please.') * 2.5) / 1e6, 12);
    expect(transport.callsTo('tokens.count')).toEqual([]);
  });

  it('still asks the backend for models without an exact local tokenizer', async () => {
    const claude: ModelEntry = {
      ...MODELS[0]!,
      id: 'claude-x',
      provider: 'anthropic',
      tokenizer: 'claude',
      tokenCountMethod: 'estimate',
    };
    const transport = createFakeTransport({
      'models.list': () => ({ models: [claude] }),
      'settings.get': () => ({ selectedModel: 'claude-x' }),
      'tokens.count': ({ text, model }: { text: string; model: string }) => fakeCount(text, model),
    });
    setTransport(transport);
    await enableLocalCounting();
    await useTokensStore.getState().loadModels();
    await useTokensStore.getState().countNow('Answer briefly.');
    expect(transport.callsTo('tokens.count')).toHaveLength(1);
  });
});
