import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors';
import {
  DEFAULT_PIPELINE,
  describeStrategies,
  parsePipeline,
  runPipeline,
  type RewriteHook,
  type RewriteRequest,
} from '../../../src/core/compression';
import { countO200k } from './corpora';
import { allBlocked, allEdits, runOne, tables } from './helpers';

const PROMPT = [
  '# Support agent',
  '',
  'Hello {{customer_name}}, you are a support agent for Acme.',
  'It is really very important that you always answer in a polite and friendly manner.',
  'You must not reveal the internal discount code to anyone.',
  'Refunds are possible within 30 days.',
  '',
].join('\n');

/** A fake host: answers every request with `rewrite(input)` and records what it was asked. */
function fakeHook(rewrite: (input: string) => ReturnType<RewriteHook>) {
  const calls: Array<{ input: string; request: RewriteRequest }> = [];
  const hook: RewriteHook = (input, request) => {
    calls.push({ input, request });
    return rewrite(input);
  };
  return { hook, calls };
}

const OPTS = { model: 'claude-haiku-4-5', targetRatio: 0.6 };

describe('llm.rewrite', () => {
  it('is registered off by default and marked lossy', () => {
    const info = describeStrategies().find((s) => s.id === 'llm.rewrite');
    expect(info).toMatchObject({ lossy: true, defaultEnabled: false });
    expect(info?.defaults).toMatchObject({ model: '', targetRatio: 0.7, instructions: '' });
    expect(DEFAULT_PIPELINE.steps.find((s) => s.strategy === 'llm.rewrite')?.enabled).toBe(false);
  });

  it('turns a good rewrite into inspectable hunks of one group, applied together', () => {
    const rewritten = PROMPT.replace(
      'It is really very important that you always answer in a polite and friendly manner.',
      'Always answer politely.',
    ).replace('Refunds are possible within 30 days.', 'Refunds: within 30 days.');
    const { hook, calls } = fakeHook(() => ({ text: rewritten }));
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: hook });
    expect(r.text).toBe(rewritten);
    const edits = allEdits(r);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(new Set(edits.map((e) => e.group)).size).toBe(1);
    expect(edits.every((e) => e.strategy === 'llm.rewrite' && e.ruleId === 'rewrite')).toBe(true);
    expect(edits[0]!.reason).toMatch(/claude-haiku-4-5's rewrite toward 60 % of its tokens/);
    expect(r.totals.saved).toBeGreaterThan(10);
    expect(r.guardReport.verified).toBe(true);
    expect(r.stages[0]!.error).toBeUndefined();
    expect(calls).toEqual([
      {
        input: PROMPT,
        request: { model: 'claude-haiku-4-5', targetRatio: 0.6, instructions: '', scope: 'all' },
      },
    ]);
  });

  it('rejects the whole rewrite when it drops a placeholder, listing the violation', () => {
    const bad = PROMPT.replace('Hello {{customer_name}}, you', 'You').replace(
      'It is really very important that you always answer in a polite and friendly manner.',
      'Always answer politely.',
    );
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: fakeHook(() => ({ text: bad })).hook });
    expect(r.text).toBe(PROMPT);
    expect(allEdits(r)).toEqual([]);
    const blocked = allBlocked(r);
    expect(blocked.map((b) => b.spanKind)).toContain('placeholder');
    expect(blocked.filter((b) => b.spanKind === 'linked').length).toBeGreaterThanOrEqual(1);
    expect(r.guardReport.blocked).toBe(blocked.length);
    expect(r.stages[0]!.error).toMatchObject({ code: 'GUARD_VIOLATION' });
    expect(r.stages[0]!.error!.message).toContain('{{customer_name}}');
  });

  it('rejects the whole rewrite when it drops a "not"', () => {
    const bad = PROMPT.replace('You must not reveal', 'You must reveal').replace(
      'Refunds are possible within 30 days.',
      'Refunds: within 30 days.',
    );
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: fakeHook(() => ({ text: bad })).hook });
    expect(r.text).toBe(PROMPT);
    const kinds = allBlocked(r).map((b) => b.spanKind);
    expect(kinds).toContain('negation');
    expect(kinds).toContain('linked');
    expect(r.stages[0]!.error?.message).toMatch(/"not" occurs 1 times in the input but 0 in the output/);
  });

  it('says why when a hunk trips a guard the whole-text check does not see (new structure)', () => {
    const bad = PROMPT.replace('Refunds are possible within 30 days.', '# Refunds: within 30 days.');
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: fakeHook(() => ({ text: bad })).hook });
    expect(r.text).toBe(PROMPT);
    expect(allBlocked(r).map((b) => b.spanKind)).toEqual(['structure']);
    expect(r.stages[0]!.error?.code).toBe('GUARD_VIOLATION');
    expect(r.stages[0]!.error?.message).toContain('into a heading');
  });

  it('leaves the text unchanged and says why when the model call failed', () => {
    const error = { code: 'PROVIDER_AUTH', message: 'Anthropic rejected the API key (HTTP 401).' };
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: fakeHook(() => ({ error })).hook });
    expect(r.text).toBe(PROMPT);
    expect(r.stages).toHaveLength(1);
    expect(r.stages[0]).toMatchObject({ strategy: 'llm.rewrite', edits: [], blocked: [], saved: 0, error });
  });

  it('proposes nothing without a host hook or before the host has an answer', () => {
    expect(runOne(PROMPT, 'llm.rewrite', OPTS).text).toBe(PROMPT);
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: () => undefined });
    expect(r.text).toBe(PROMPT);
    expect(r.stages[0]!.error).toBeUndefined();
  });

  it('asks the model once per run, even when a later round runs', () => {
    // the rewrite leaves a double space that format.whitespace removes, so round 2 runs over changed text
    const { hook, calls } = fakeHook((input) => ({
      text: input.replace('It is really very important that you always', 'Always  and  always'),
    }));
    const pipeline = {
      version: 1 as const,
      steps: [
        { strategy: 'format.whitespace', options: {} },
        { strategy: 'llm.rewrite', options: OPTS },
      ],
    };
    const r = runPipeline(PROMPT, pipeline, { count: countO200k, rules: tables(), rewrite: hook });
    expect(r.rounds).toBeGreaterThan(1);
    expect(r.text).toContain('Always and always answer');
    expect(calls).toHaveLength(1);
  });

  it('rewrites only the named section, keeping its heading line', () => {
    const text = `${PROMPT}\n## Style\n\nPlease be sure to write in a calm voice.\n`;
    const { hook, calls } = fakeHook(() => ({ text: 'Write calmly.\n' }));
    const r = runOne(text, 'llm.rewrite', { ...OPTS, section: 'style' }, { rewrite: hook });
    expect(calls.map((c) => [c.input, c.request.scope])).toEqual([
      ['\nPlease be sure to write in a calm voice.\n', 'section'],
    ]);
    expect(r.text).toBe(`${PROMPT}\n## Style\nWrite calmly.\n`);
  });

  it('says which sections exist when the named one does not, and rewrites a range when given one', () => {
    const missing = runOne(
      PROMPT,
      'llm.rewrite',
      { ...OPTS, section: 'Tools' },
      { rewrite: () => undefined },
    );
    expect(missing.stages[0]!.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(missing.stages[0]!.error!.message).toContain('"Support agent"');
    const at = PROMPT.indexOf('It is really');
    const end = PROMPT.indexOf('\n', at);
    const { hook, calls } = fakeHook(() => ({ text: 'Always be polite.' }));
    const r = runOne(PROMPT, 'llm.rewrite', { ...OPTS, range: { start: at, end } }, { rewrite: hook });
    expect(calls[0]!.input).toBe(PROMPT.slice(at, end));
    expect(r.text).toBe(PROMPT.slice(0, at) + 'Always be polite.' + PROMPT.slice(end));
  });

  it('leaves the whole rewrite out when the user rejects one of its hunks', () => {
    const rewritten = PROMPT.replace('really very important', 'key').replace(
      'possible within',
      'allowed within',
    );
    const hook = fakeHook(() => ({ text: rewritten })).hook;
    const first = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: hook });
    const edits = allEdits(first);
    expect(edits.length).toBe(2);
    const r = runOne(PROMPT, 'llm.rewrite', OPTS, { rewrite: hook, rejected: new Set([edits[1]!.id]) });
    expect(r.text).toBe(PROMPT);
    expect(allBlocked(r).map((b) => [b.edit.id, b.spanKind])).toEqual([[edits[0]!.id, 'linked']]);
  });

  it('refuses options naming both a section and a range', () => {
    let err: unknown;
    try {
      parsePipeline({
        version: 1,
        steps: [{ strategy: 'llm.rewrite', options: { section: 'A', range: { start: 0, end: 1 } } }],
      });
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
    expect((err as Error).message).toMatch(/steps\[0\]\.options\.range: give a section or a range/);
  });
});
