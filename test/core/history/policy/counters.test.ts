import { describe, expect, it } from 'vitest';
import { applyPolicySync, createRequestCounter, parsePolicy } from '../../../../src/core/history/policy';
import { call, result, user } from './helpers';

describe('changes that depend on counting', () => {
  it('truncate the same tool result once per counter: two encodings, two cuts', () => {
    const long = 'x'.repeat(400);
    const messages = [user('look it up'), call('c1'), result('c1', long)];
    const policy = parsePolicy({ version: 1, steps: [{ type: 'toolResults', truncate: { maxTokens: 40 } }] });
    const cut = (charsPerToken: number) => {
      const counter = createRequestCounter((t) => Math.ceil(t.length / charsPerToken));
      const r = applyPolicySync(policy, { messages }, { provider: 'openai', counter });
      const b = r.messages[2]!.content[0]!;
      return b.type === 'tool_result' ? b.content.length : -1;
    };
    const one = cut(1);
    const two = cut(2);
    // twice the characters per token keeps about twice the text, on the very same message objects
    expect(two).toBeGreaterThan(one + 30);
    expect(cut(1)).toBe(one);
  });
});
