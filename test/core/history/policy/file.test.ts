import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SUMMARY_PROMPT,
  parsePolicy,
  readPolicyFile,
  writePolicyFile,
  type Policy,
} from '../../../../src/core/history/policy';
import type { AppError } from '../../../../src/core/errors';

const YAML = `version: 1
name: Support agent, 8k budget
steps:
  - type: dropRepeats
  - type: toolResults
    truncate:
      maxTokens: 400
    clear:
      keep: 3
      excludeTools: [get_policy]
  - type: summarise
    model: claude-haiku-4-5
    trigger:
      contextFraction: 0.5
    keepLast: 8
    prompt: |
      Summarise for the agent.
      At most {maxTokens} tokens.
  - type: tokenBudget
    maxTokens: 8000
    keepFirstUser: true
`;

function error(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('policy files', () => {
  it('reads YAML with defaults filled', () => {
    const p = readPolicyFile(YAML, 'agent.policy.yaml');
    expect(p.name).toBe('Support agent, 8k budget');
    expect(p.steps.map((s) => s.type)).toEqual(['dropRepeats', 'toolResults', 'summarise', 'tokenBudget']);
    expect(p.steps[0]).toEqual({
      type: 'dropRepeats',
      enabled: true,
      minTokens: 20,
      results: true,
      resultPlaceholder: '[identical to an earlier {tool} result]',
    });
    expect(p.steps[1]).toMatchObject({
      truncate: { maxTokens: 400, marker: '\n[… {tokens} tokens truncated …]\n' },
      clear: { keep: 3, excludeTools: ['get_policy'], placeholder: '[tool result cleared to save context]' },
    });
    expect(p.steps[2]).toMatchObject({
      trigger: { contextFraction: 0.5 },
      keepLast: 8,
      prompt: 'Summarise for the agent.\nAt most {maxTokens} tokens.\n',
      maxSummaryTokens: 1024,
      placement: 'message',
    });
  });

  it('writes every setting in a fixed order and reads back equal, byte-stable (YAML and JSON)', () => {
    const p = readPolicyFile(YAML, 'agent.policy.yaml');
    for (const format of ['yaml', 'json'] as const) {
      const text = writePolicyFile(p, format);
      const back = readPolicyFile(text, `x.policy.${format}`);
      expect(back).toEqual(p);
      expect(writePolicyFile(back, format)).toBe(text);
    }
    const json = writePolicyFile(p, 'json');
    expect(Object.keys(JSON.parse(json) as object)).toEqual(['version', 'name', 'steps']);
    expect(Object.keys((JSON.parse(json) as { steps: object[] }).steps[3]!)).toEqual([
      'type',
      'maxTokens',
      'keepFirstUser',
    ]);
    // a multi-line prompt is a YAML literal block
    expect(writePolicyFile(p, 'yaml')).toContain('prompt: |');
  });

  it('writes the same bytes whatever order the keys were given in', () => {
    const a: Policy = parsePolicy({ version: 1, steps: [{ type: 'lastN', turns: 3, keepFirstUser: true }] });
    const b: Policy = parsePolicy({ steps: [{ keepFirstUser: true, turns: 3, type: 'lastN' }], version: 1 });
    expect(writePolicyFile(a, 'yaml')).toBe(writePolicyFile(b, 'yaml'));
    expect(writePolicyFile(a, 'yaml')).toBe(
      'version: 1\nsteps:\n  - type: lastN\n    turns: 3\n    keepFirstUser: true\n',
    );
    // a disabled step says so; an enabled one does not repeat the default
    const c = parsePolicy({ version: 1, steps: [{ type: 'tokenBudget', maxTokens: 10, enabled: false }] });
    expect(writePolicyFile(c, 'json')).toContain('"enabled": false');
  });

  it.each([
    ['version: 2\nsteps: []\n', 1, 'version', 'must be 1'],
    [
      'version: 1\nsteps:\n  - type: lastN\n    messages: 3\n  - type: nope\n',
      5,
      'steps[1].type',
      'must have a `type` of',
    ],
    ['version: 1\nsteps:\n  - type: tokenBudget\n    maxTokens: 0\n', 4, 'steps[0].maxTokens', '>=1'],
    [
      'version: 1\nsteps:\n  - type: tokenBudget\n    maxTokens: 100\n    maxTokns: 5\n',
      5,
      'steps[0].maxTokns',
      'unknown field',
    ],
    ['version: 1\nsteps:\n  - type: tokenBudget\n', 3, 'steps[0].maxTokens', 'is required'],
    ['version: 1\nsteps:\n  - type: lastN\n    messages: 3\n    turns: 2\n', 3, 'steps[0]', 'exactly one of'],
    [
      'version: 1\nsteps:\n  - type: summarise\n    model: m\n    trigger: {}\n',
      5,
      'steps[0].trigger',
      'needs `tokens`',
    ],
    [
      'version: 1\nsteps:\n  - type: summarise\n    model: m\n    trigger:\n      contextFraction: 1.5\n',
      6,
      'steps[0].trigger.contextFraction',
      '',
    ],
    ['version: 1\nsteps:\n  - type: toolResults\n', 3, 'steps[0]', 'needs `truncate`, `clear` or both'],
    ['version: 1\nsteps: {}\n', 2, 'steps', 'must be a list of steps'],
  ])('refuses a bad YAML file naming line and field (%#)', (text, line, field, message) => {
    const err = error(() => readPolicyFile(text, 'p.policy.yaml'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details).toMatchObject({ file: 'p.policy.yaml', line, field });
    expect(err.message).toContain(`p.policy.yaml, line ${line}: ${field}: `);
    expect(err.message).toContain(message);
  });

  it('names the line in JSON too', () => {
    const text =
      '{\n  "version": 1,\n  "steps": [\n    { "type": "lastN", "turns": 2 },\n    { "type": "tokenBudget", "maxTokens": "8k" }\n  ]\n}\n';
    const err = error(() => readPolicyFile(text, 'p.policy.json'));
    expect(err.details).toMatchObject({ line: 5, field: 'steps[1].maxTokens' });
  });

  it('reports syntax errors with line and column', () => {
    const yaml = error(() => readPolicyFile('version: 1\nsteps:\n  - type: [lastN\n', 'p.policy.yaml'));
    expect(yaml.code).toBe('PARSE_ERROR');
    expect(yaml.details).toMatchObject({ line: 4 });
    const json = error(() => readPolicyFile('{\n  "version": 1,\n  "steps": [,]\n}', 'p.policy.json'));
    expect(json.code).toBe('PARSE_ERROR');
    expect(json.details).toMatchObject({ line: 3, column: 13 });
    expect(error(() => readPolicyFile('  \n', 'p.policy.yaml')).code).toBe('INVALID_INPUT');
  });

  it('guesses the format from the content when the name does not say', () => {
    expect(readPolicyFile('{"version": 1, "steps": []}', 'policy').steps).toEqual([]);
    expect(readPolicyFile('version: 1\nsteps: []\n', 'policy').steps).toEqual([]);
  });

  it('reads the example in docs/formats/history-policy.md', () => {
    const doc = readFileSync(
      path.resolve(import.meta.dirname, '../../../../docs/formats/history-policy.md'),
      'utf8',
    );
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const p = readPolicyFile(example, 'example.policy.yaml');
    expect(p.steps.map((s) => s.type)).toEqual(['dropRepeats', 'toolResults', 'summarise', 'tokenBudget']);
  });

  it('ships a default summary prompt that says how long a summary may be', () => {
    expect(DEFAULT_SUMMARY_PROMPT).toContain('{maxTokens}');
  });
});
