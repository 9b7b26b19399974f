import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CONTEXT_MANAGEMENT_BETA,
  POLICY_EXPORTERS,
  policyToAnthropicContextManagement,
  policyToLangChain,
  type PolicyExportTarget,
} from '../../../../src/core/history/export';
import { parsePolicy, readPolicyFile, type PolicyInput } from '../../../../src/core/history/policy';

const policy = (steps: PolicyInput['steps'], name?: string) =>
  parsePolicy({ version: 1, ...(name ? { name } : {}), steps });

const ALL: PolicyInput['steps'] = [
  { type: 'dropRepeats' },
  { type: 'toolResults', truncate: { maxTokens: 100 }, clear: { keep: 3, excludeTools: ['memory'] } },
  { type: 'summarise', model: 'claude-haiku-4-5', trigger: { tokens: 60000 } },
  { type: 'lastN', turns: 4, keepFirstUser: true },
  { type: 'tokenBudget', maxTokens: 8000 },
  { type: 'lastN', messages: 50, enabled: false },
];

/** Python's parser on generated code (python3 is required, as for the other Python tests). */
function parsesAsPython(code: string): void {
  const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: code,
    encoding: 'utf8',
  });
  if (r.error)
    throw new Error(`python3 is needed to check the LangChain export (${r.error.message}): install python3.`);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe('LangChain trim_messages export', () => {
  it('chains one trim_messages call per window step, in order, with a counter for each', () => {
    const r = policyToLangChain(policy(ALL, 'All'));
    parsesAsPython(r.code);
    const calls = [...r.code.matchAll(/trim_messages\(\n([\s\S]*?)\n {4}\)/g)].map((m) => m[1]!);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain('max_tokens=4,');
    expect(calls[0]).toContain('token_counter=count_turns,');
    expect(calls[0]).toContain('start_on="human",');
    expect(calls[1]).toContain('max_tokens=8000,');
    expect(calls[1]).toContain('token_counter=count_request,');
    expect(calls[1]).toContain('start_on=["human", "ai"],');
    for (const c of calls) {
      expect(c).toContain('strategy="last",');
      expect(c).toContain('include_system=True,');
      expect(c).toContain('allow_partial=False,');
    }
    expect(r.code).toContain('from langchain_core.messages import BaseMessage, HumanMessage, trim_messages');
    expect(r.code).toContain('def count_request(messages: List[BaseMessage]) -> int:');
    // the disabled step is not there
    expect(r.code).not.toContain('max_tokens=50');
  });

  it('lists precisely what it cannot express', () => {
    const r = policyToLangChain(policy(ALL));
    expect(r.unsupported.map((u) => u.split(':')[0])).toEqual([
      'step 1 (dropRepeats)',
      'step 2 (toolResults), truncating tool results',
      'step 2 (toolResults), clearing old tool results',
      'step 3 (summarise)',
      'step 4 (lastN), keepFirstUser',
    ]);
    expect(r.notes.join('\n')).toContain('returns the system message alone');
    const none = policyToLangChain(policy([{ type: 'dropRepeats' }]));
    parsesAsPython(none.code);
    expect(none.code).toContain('expresses none of these steps');
    expect(none.code).not.toContain('trim_messages(');
    parsesAsPython(policyToLangChain(policy([{ type: 'lastN', messages: 3 }])).code);
  });
});

describe('Anthropic context editing export', () => {
  it('writes the first clearing step as a clear_tool_uses_20250919 edit', () => {
    const r = policyToAnthropicContextManagement(policy(ALL));
    expect(r.config).toEqual({
      edits: [
        {
          type: 'clear_tool_uses_20250919',
          trigger: { type: 'tool_uses', value: 3 },
          keep: { type: 'tool_uses', value: 3 },
          exclude_tools: ['memory'],
          clear_tool_inputs: false,
        },
      ],
    });
    expect(r.betas).toEqual([CONTEXT_MANAGEMENT_BETA]);
    expect(r.unsupported.map((u) => u.split(':')[0])).toEqual([
      'step 1 (dropRepeats)',
      'step 2 (toolResults), truncating tool results',
      'step 3 (summarise)',
      'step 4 (lastN)',
      'step 5 (tokenBudget)',
    ]);
    expect(r.unsupported[2]).toContain('compact_20260112');
    expect(r.notes.join('\n')).toContain('placeholder');
  });

  it('says when it can express nothing, and when a step cannot be expressed twice', () => {
    const none = policyToAnthropicContextManagement(policy([{ type: 'tokenBudget', maxTokens: 100 }]));
    expect(none.config).toBeNull();
    expect(none.betas).toEqual([]);
    const two = policyToAnthropicContextManagement(
      policy([
        { type: 'toolResults', clear: { keep: 0 } },
        { type: 'toolResults', clear: { keep: 5 } },
      ]),
    );
    expect(two.config?.edits).toEqual([
      {
        type: 'clear_tool_uses_20250919',
        trigger: { type: 'tool_uses', value: 1 },
        keep: { type: 'tool_uses', value: 0 },
        clear_tool_inputs: false,
      },
    ]);
    expect(two.unsupported).toEqual([
      expect.stringContaining('step 2 (toolResults), clearing: a request takes one'),
    ]);
    expect(two.notes.join('\n')).toContain('With keep 0');
  });
});

describe('the exporter registry', () => {
  it('writes every target, each with notes, and policy files that read back equal', () => {
    const p = policy(ALL, 'All steps');
    const targets = Object.keys(POLICY_EXPORTERS) as PolicyExportTarget[];
    expect(targets).toEqual(['json', 'yaml', 'ts', 'py', 'langchain', 'anthropic']);
    for (const t of targets) {
      const e = POLICY_EXPORTERS[t];
      expect(e.id).toBe(t);
      const out = e.write(p);
      expect(out.text.length).toBeGreaterThan(10);
      expect(out.notes.length).toBeGreaterThan(0);
    }
    expect(readPolicyFile(POLICY_EXPORTERS.json.write(p).text, 'a.policy.json')).toEqual(p);
    expect(readPolicyFile(POLICY_EXPORTERS.yaml.write(p).text, 'a.policy.yaml')).toEqual(p);
    const anthropic = JSON.parse(POLICY_EXPORTERS.anthropic.write(p).text) as Record<string, unknown>;
    expect(Object.keys(anthropic)).toEqual(['context_management']);
    expect(POLICY_EXPORTERS.anthropic.write(p).notes[0]).toContain(
      `anthropic-beta: ${CONTEXT_MANAGEMENT_BETA}`,
    );
    expect(POLICY_EXPORTERS.ts.write(p).notes.join('\n')).toContain('countTokens');
    expect(
      POLICY_EXPORTERS.py.write(policy([{ type: 'lastN', messages: 2 }])).notes.join('\n'),
    ).not.toContain('count_tokens');
  });

  it('refuses a policy the schema refuses, naming the field', () => {
    const bad = { version: 1, steps: [{ type: 'tokenBudget', maxTokens: 0 }] } as never;
    expect(() => POLICY_EXPORTERS.ts.write(bad)).toThrow(/maxTokens/);
  });
});
