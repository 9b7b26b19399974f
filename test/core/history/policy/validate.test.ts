import { describe, expect, it } from 'vitest';
import {
  finalise,
  renameDuplicateToolIds,
  validateRequest,
  type ViolationRule,
} from '../../../../src/core/history/policy';
import type { HistoryMessage } from '../../../../src/core/history/types';
import { assistant, call, result, texts, user } from './helpers';
import { importedConversations } from './tauBench';

const rules = (ms: HistoryMessage[], p: 'openai' | 'anthropic'): ViolationRule[] =>
  validateRequest(ms, p).map((v) => v.rule);

describe('validateRequest', () => {
  it('accepts a well-formed request with tool use on both providers', () => {
    const ms = [user('hi'), call('c1'), result('c1', 'ok'), assistant('done'), user('thanks')];
    expect(validateRequest(ms, 'openai')).toEqual([]);
    expect(validateRequest(ms, 'anthropic')).toEqual([]);
  });

  it.each([
    ['empty request', [], ['empty-request'], ['empty-request']],
    [
      'orphan result at the start',
      [result('c1', 'x'), user('hi')],
      ['orphan-tool-result'],
      ['orphan-tool-result', 'first-message'],
    ],
    [
      'result for another call',
      [user('hi'), call('c1'), result('c2', 'x')],
      ['missing-tool-result', 'orphan-tool-result'],
      ['missing-tool-result', 'orphan-tool-result'],
    ],
    [
      'call without result',
      [user('hi'), call('c1'), user('?')],
      ['missing-tool-result'],
      ['missing-tool-result'],
    ],
    ['call at the end', [user('hi'), call('c1')], ['missing-tool-result'], ['missing-tool-result']],
    [
      'result after a text message',
      [user('hi'), call('c1'), result('c1', 'a'), assistant('x'), result('c1', 'b')],
      ['orphan-tool-result'],
      ['orphan-tool-result'],
    ],
    ['assistant first', [assistant('Hello!'), user('hi')], [], ['first-message']],
    ['two user turns', [user('a'), user('b')], [], ['role-alternation']],
    ['two assistant turns', [user('a'), assistant('b'), assistant('c')], [], ['role-alternation']],
    ['empty user message', [user(''), assistant('b')], [], ['empty-message']],
    [
      'repeated tool id',
      [user('a'), call('c1'), result('c1', 'x'), call('c1'), result('c1', 'y')],
      [],
      ['duplicate-tool-use-id'],
    ],
    ['tool id with a dot', [user('a'), call('c.1'), result('c.1', 'x')], [], ['invalid-tool-use-id']],
  ] as Array<[string, HistoryMessage[], ViolationRule[], ViolationRule[]]>)(
    'finds %s',
    (_name, ms, openai, anthropic) => {
      expect(rules(ms, 'openai').sort()).toEqual([...openai].sort());
      expect(rules(ms, 'anthropic').sort()).toEqual([...anthropic].sort());
    },
  );

  it('treats tool results followed by user text as one Anthropic user turn', () => {
    const ms = [user('a'), call('c1'), result('c1', 'x'), user('and also'), assistant('ok')];
    expect(validateRequest(ms, 'anthropic')).toEqual([]);
  });

  it('allows an empty final assistant message (Anthropic prefill) only at the end', () => {
    expect(rules([user('a'), assistant('')], 'anthropic')).toEqual([]);
    expect(rules([user('a'), assistant(''), user('b')], 'anthropic')).toEqual(['empty-message']);
  });

  it('names where the rule is broken', () => {
    const v = validateRequest([user('hi'), call('c1'), user('?')], 'openai');
    expect(v).toEqual([
      { index: 1, rule: 'missing-tool-result', message: 'tool call c1 has no result right after it' },
    ]);
  });
});

describe('the tau-bench trajectories as recorded', () => {
  it('are valid OpenAI requests, all 200', () => {
    for (const c of importedConversations()) expect(validateRequest(c.messages, 'openai')).toEqual([]);
  });

  it("break only Anthropic's unique-id rule (73 repeated ids in 49 trajectories), which renaming repairs", () => {
    let repeated = 0;
    let trajectories = 0;
    for (const c of importedConversations()) {
      const v = validateRequest(c.messages, 'anthropic');
      expect(new Set(v.map((x) => x.rule))).toEqual(new Set(v.length ? ['duplicate-tool-use-id'] : []));
      repeated += v.length;
      if (v.length) trajectories++;
      const renamed = renameDuplicateToolIds(c.messages);
      expect(renamed.renamed).toBe(v.length);
      expect(validateRequest(renamed.messages, 'anthropic')).toEqual([]);
      // and the renaming of a prefix is the prefix of the renaming (the same objects)
      const half = Math.floor(c.messages.length / 2);
      const prefix = renameDuplicateToolIds(c.messages.slice(0, half)).messages;
      prefix.forEach((m, i) => expect(m).toBe(renamed.messages[i]));
    }
    expect(repeated).toBe(73);
    expect(trajectories).toBe(49);
  });
});

describe('renameDuplicateToolIds and finalise', () => {
  it('renames a repeated id in its call and in the result that answers it', () => {
    const ms = [user('a'), call('x'), result('x', '1'), user('b'), call('x'), result('x', '2')];
    const r = renameDuplicateToolIds(ms);
    expect(texts(r.messages)).toEqual(['a', 'call:x', 'result:x:1', 'b', 'call:x_2', 'result:x_2:2']);
    expect(r.messages[0]).toBe(ms[0]);
    // the same renaming again gives the same objects
    expect(renameDuplicateToolIds(ms).messages[4]).toBe(r.messages[4]);
  });

  it('skips a suffix that is already taken', () => {
    const ms = [
      user('a'),
      call('x_2'),
      result('x_2', '0'),
      call('x'),
      result('x', '1'),
      call('x'),
      result('x', '2'),
    ];
    expect(texts(renameDuplicateToolIds(ms).messages).slice(-2)).toEqual(['call:x_3', 'result:x_3:2']);
  });

  it('merges consecutive user or assistant messages for Anthropic and drops a leading part it refuses', () => {
    const ms = [assistant('hello'), user('a'), user('b'), call('c'), result('c', 'r'), user('c')];
    const a = finalise(ms, 'anthropic');
    expect(texts(a.messages)).toEqual(['a|b', 'call:c', 'result:c:r', 'c']);
    expect(a).toMatchObject({ droppedLeading: 1, merges: 1 });
    expect(validateRequest(a.messages, 'anthropic')).toEqual([]);
    const o = finalise(ms, 'openai');
    expect(o.messages).toEqual(ms);
    expect(texts(finalise([result('c', 'r'), user('a')], 'openai').messages)).toEqual(['a']);
  });
});
