import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeStrategies } from '../../src/core/compression';
import { labelFor, parseList, parseNumberField, schemaFields } from '../../src/renderer/src/lib/schemaForm';

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;

describe('schemaFields', () => {
  it('turns each zod option type into a field, keeping bounds and descriptions', () => {
    const fields = schemaFields(
      schemaOf(
        z.object({
          on: z.boolean().default(true).describe('Switch'),
          mode: z.enum(['keep', 'label']).default('keep'),
          minChars: z.number().int().min(1).default(12),
          ratio: z.number().min(0).max(1).default(0.5),
          model: z.string().optional(),
          words: z.array(z.string()).default([]),
          target: z.union([z.number(), z.object({ ratio: z.number() })]).optional(),
          maxTokens: z.number().int().nullable().default(null),
        }),
      ),
    );
    expect(fields.map((f) => [f.key, f.kind])).toEqual([
      ['on', 'boolean'],
      ['mode', 'enum'],
      ['minChars', 'number'],
      ['ratio', 'number'],
      ['model', 'string'],
      ['words', 'list'],
      ['target', 'json'],
      ['maxTokens', 'number'],
    ]);
    expect(fields[0]).toMatchObject({ label: 'On', description: 'Switch' });
    expect(fields[2]).toMatchObject({ integer: true, min: 1, max: undefined });
    expect(fields[3]).toMatchObject({ integer: false, min: 0, max: 1 });
  });

  it('gives every registered strategy a field for each of its options', () => {
    for (const s of describeStrategies()) {
      const keys = schemaFields(s.optionsSchema).map((f) => f.key);
      for (const key of Object.keys(s.defaults)) expect(keys, s.id).toContain(key);
    }
  });

  it('parses numbers against the bounds and lists by commas or lines', () => {
    const f = {
      kind: 'number',
      key: 'k',
      label: 'K',
      description: '',
      integer: true,
      min: 1,
      max: 10,
    } as const;
    expect(parseNumberField(f, '5')).toBe(5);
    expect(parseNumberField(f, '0')).toBeNull();
    expect(parseNumberField(f, '11')).toBeNull();
    expect(parseNumberField(f, '2.5')).toBeNull();
    expect(parseNumberField(f, 'x')).toBeNull();
    expect(parseNumberField(f, '')).toBeNull();
    expect(parseList(' a, b\nc ,, ')).toEqual(['a', 'b', 'c']);
    expect(labelFor('innerRuns')).toBe('Inner runs');
    expect(labelFor('max_tokens')).toBe('Max tokens');
  });
});
