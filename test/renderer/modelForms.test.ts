import { describe, expect, it } from 'vitest';
import {
  buildNewModel,
  buildOverride,
  errorField,
  fieldMessage,
  formatWindow,
  isAddedEntry,
  parsePrice,
  parseTokens,
  replaceEntry,
} from '../../src/renderer/src/features/models/modelForms';

describe('parsePrice', () => {
  it('reads empty as "not given", "none" as no price, and numbers ≥ 0 with separators or a $', () => {
    expect(parsePrice('')).toEqual({ ok: true, value: undefined });
    expect(parsePrice('  ')).toEqual({ ok: true, value: undefined });
    expect(parsePrice('none')).toEqual({ ok: true, value: null });
    expect(parsePrice('No price')).toEqual({ ok: true, value: null });
    expect(parsePrice('0')).toEqual({ ok: true, value: 0 });
    expect(parsePrice('$2.50')).toEqual({ ok: true, value: 2.5 });
    expect(parsePrice('1,250')).toEqual({ ok: true, value: 1250 });
    expect(parsePrice('.075')).toEqual({ ok: true, value: 0.075 });
  });

  it('refuses negative and non-numeric prices', () => {
    expect(parsePrice('-1')).toEqual({ ok: false, error: 'must not be negative (got -1)' });
    expect(parsePrice('ten')).toMatchObject({ ok: false });
    expect(parsePrice('1.2.3')).toMatchObject({ ok: false });
    expect(parsePrice('Infinity')).toMatchObject({ ok: false });
  });
});

describe('parseTokens', () => {
  it('takes positive whole numbers only', () => {
    expect(parseTokens('128,000')).toEqual({ ok: true, value: 128000 });
    expect(parseTokens('')).toEqual({ ok: true });
    expect(parseTokens('0')).toMatchObject({ ok: false });
    expect(parseTokens('1.5')).toMatchObject({ ok: false });
  });
});

describe('buildOverride', () => {
  it('keeps only the given fields, and fields of the earlier override the form does not show', () => {
    const result = buildOverride(
      'gpt-4o',
      { inputPerMTok: '10', outputPerMTok: '', contextWindow: '200,000', cacheReadPerMTok: 'none' },
      { id: 'gpt-4o', outputPerMTok: 20, notes: 'negotiated', label: 'GPT-4o (ours)' },
    );
    expect(result).toEqual({
      entry: {
        id: 'gpt-4o',
        notes: 'negotiated',
        label: 'GPT-4o (ours)',
        inputPerMTok: 10,
        cacheReadPerMTok: null,
        contextWindow: 200000,
      },
    });
  });

  it('returns no entry when nothing is left to override, and errors per field', () => {
    expect(buildOverride('gpt-4o', {}, { id: 'gpt-4o', inputPerMTok: 3 })).toEqual({ entry: null });
    expect(buildOverride('gpt-4o', { inputPerMTok: '-2', contextWindow: 'big' }, undefined)).toEqual({
      errors: {
        inputPerMTok: 'Input must not be negative (got -2)',
        contextWindow: 'Context window must be a whole number of tokens above 0',
      },
    });
  });
});

describe('replaceEntry', () => {
  const list = [{ id: 'a', inputPerMTok: 1 }, 'junk kept as is', { id: 'b' }, { id: 'a', outputPerMTok: 2 }];

  it('replaces every entry of the id at the place of the first, keeping the others in order', () => {
    expect(replaceEntry(list, 'a', { id: 'a', inputPerMTok: 9 })).toEqual([
      { id: 'a', inputPerMTok: 9 },
      'junk kept as is',
      { id: 'b' },
    ]);
    expect(replaceEntry(list, 'c', { id: 'c' })).toEqual([...list, { id: 'c' }]);
  });

  it('removes the id with null', () => {
    expect(replaceEntry(list, 'a', null)).toEqual(['junk kept as is', { id: 'b' }]);
  });
});

describe('buildNewModel', () => {
  const complete = {
    id: 'acme-1',
    label: 'Acme 1',
    provider: 'acme',
    tokenizer: 'o200k_base',
    countWith: 'o200k_base',
    tokenCountMethod: 'exact',
    caching: 'openai-auto',
    inputPerMTok: '1',
    outputPerMTok: 'none',
    batchInputPerMTok: '0.5',
    contextWindow: '128000',
    maxOutputTokens: '16,384',
    source: 'https://acme.example/pricing',
    asOf: '2025-10-01',
  };

  it('builds an entry the catalog schema accepts', () => {
    const built = buildNewModel(complete, new Set(['gpt-4o']));
    expect(built).toEqual({
      entry: expect.objectContaining({
        id: 'acme-1',
        inputPerMTok: 1,
        outputPerMTok: null,
        batchInputPerMTok: 0.5,
        contextWindow: 128000,
        maxOutputTokens: 16384,
        tokenCountMethod: 'exact',
        origin: 'user',
      }),
    });
    expect(isAddedEntry((built as { entry: Record<string, unknown> }).entry)).toBe(true);
    expect(isAddedEntry({ id: 'gpt-4o', inputPerMTok: 3 })).toBe(false);
  });

  it('names each field that the schema would refuse', () => {
    const built = buildNewModel(
      { ...complete, id: 'gpt-4o', countWith: 'cl100k_base', asOf: '10/01/2025', label: ' ' },
      new Set(['gpt-4o']),
    );
    expect('errors' in built && built.errors).toEqual({
      id: expect.stringContaining('already in the catalog'),
      label: 'Label is required',
      tokenCountMethod: expect.stringContaining("An exact count must use the model's own tokenizer"),
    });
    const dated = buildNewModel({ ...complete, asOf: '10/01/2025' }, new Set());
    expect('errors' in dated && dated.errors).toEqual({ asOf: 'As of must be a date, YYYY-MM-DD' });
  });
});

describe('server errors', () => {
  it('finds the field and the part of the message about it', () => {
    expect(errorField({ index: 0, field: 'tiers.0.inputPerMTok' })).toBe('tiers');
    expect(errorField(undefined)).toBeUndefined();
    expect(
      fieldMessage(
        'User model #2 ("gpt-4o"): outputPerMTok must not be negative (got -10). Fix it in settings; the catalog was left unchanged.',
      ),
    ).toBe('outputPerMTok must not be negative (got -10)');
    expect(fieldMessage('Something else.')).toBe('Something else.');
  });
});

describe('formatWindow', () => {
  it('reads as people say it', () => {
    expect([128000, 131072, 1_000_000, 1_048_576, 2_000_000, 32_768, 8191].map(formatWindow)).toEqual([
      '128k',
      '128k',
      '1M',
      '1M',
      '2M',
      '32k',
      '8,191',
    ]);
  });
});
