import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicySchema, type PolicyStepType } from '../../src/core/history/policy/schema';
import type { SimulationResult } from '../../src/core/history/simulate';
import type { HistoryMessage } from '../../src/core/history/types';
import { suggestQuestions } from '../../src/renderer/src/app/historyActions';
import {
  checkPolicy,
  defaultSummariser,
  newStep,
  STEP_TYPES,
  stepIssues,
  stepOfField,
  stepSummary,
} from '../../src/renderer/src/features/history/policyModel';
import { SimulationChart } from '../../src/renderer/src/features/history/SimulationChart';
import { buildTimeline, previewOf } from '../../src/renderer/src/features/history/timelineModel';
import { useHistoryStore } from '../../src/renderer/src/stores/history';
import { resetApp } from './support/reset';

afterEach(() => {
  resetApp();
  useHistoryStore.getState().reset();
});

const text = (role: HistoryMessage['role'], t: string): HistoryMessage => ({
  role,
  content: [{ type: 'text', text: t }],
});
const call = (id: string, name: string, input: unknown): HistoryMessage => ({
  role: 'assistant',
  content: [{ type: 'tool_use', id, name, input }],
});
const result = (id: string, content: string): HistoryMessage => ({
  role: 'tool',
  content: [{ type: 'tool_result', toolUseId: id, content }],
});

describe('policy model', () => {
  it('makes every step type with the schema defaults, valid as it is', () => {
    for (const { type } of STEP_TYPES) {
      const step = newStep(type, ['gpt-4o', 'claude-haiku-4-5']);
      expect(step.type).toBe(type);
      expect(PolicySchema.safeParse({ version: 1, steps: [step] }).success).toBe(true);
    }
    expect(newStep('summarise', ['gpt-4o', 'claude-haiku-4-5'])).toMatchObject({
      model: 'claude-haiku-4-5',
      keepLast: 6,
      maxSummaryTokens: 1024,
      placement: 'message',
      enabled: true,
    });
    expect(defaultSummariser(['gpt-4o', 'gpt-4o-mini'])).toBe('gpt-4o-mini');
    expect(defaultSummariser(['o3'])).toBe('o3');
  });

  it('describes each step in one line', () => {
    const line = (type: PolicyStepType, patch: Record<string, unknown> = {}) =>
      stepSummary({ ...newStep(type, ['claude-haiku-4-5']), ...patch } as never);
    expect(line('summarise', { trigger: { messages: 20, tokens: 50_000 } })).toBe(
      'Summarise with claude-haiku-4-5 at 20 messages or 50,000 tokens, keep the last 6',
    );
    expect(line('lastN', { messages: undefined, turns: 3, keepFirstUser: true })).toBe(
      'Keep the last 3 turns and the first user message',
    );
    expect(line('tokenBudget')).toBe('Fit the request in 8,000 tokens');
    expect(line('toolResults', { clear: { keep: 2 } })).toBe(
      'Truncate results over 500 tokens, clear all but the last 2 results',
    );
    expect(line('dropRepeats')).toBe('Drop repeated messages of 20+ tokens and repeated tool results');
  });

  it('checks a draft with the schema, wording problems as the backend does', () => {
    expect(checkPolicy({ version: 1, steps: [newStep('tokenBudget')] }).ok).toBe(true);
    const bad = checkPolicy(
      { version: 1, steps: [newStep('tokenBudget'), { type: 'lastN', messages: 3, turns: 2 }] },
      'a.policy.json',
    );
    expect(bad).toMatchObject({
      ok: false,
      message: 'a.policy.json: steps[1]: needs exactly one of `messages` and `turns`',
    });
    const unknown = checkPolicy({
      version: 1,
      steps: [{ type: 'tokenBudget', maxTokens: 5, extra: 1 }] as never,
    });
    expect(unknown.ok === false && unknown.issues[0]).toEqual({
      field: 'steps[0].extra',
      message: 'unknown field "extra"',
    });
    const missing = checkPolicy({ version: 1, steps: [{ type: 'tokenBudget' }] as never });
    expect(missing.ok === false && stepIssues(missing.issues, 0)).toEqual(
      new Map([['maxTokens', 'is required']]),
    );
    expect(stepOfField('steps[12].trigger.tokens')).toBe(12);
    expect(stepOfField('name')).toBeNull();
    expect(stepOfField(undefined)).toBeNull();
  });
});

describe('policy store', () => {
  it('tracks unsaved edits against the file and keeps step keys with their steps', () => {
    const s = () => useHistoryStore.getState();
    s().replacePolicy(
      { version: 1, name: 'P', steps: [newStep('lastN'), newStep('tokenBudget')] },
      'p.policy.json',
    );
    const [a, b] = s().stepKeys;
    expect(s().policyDirty).toBe(false);
    s().moveStep(1, -1);
    expect(s().policy.steps.map((x) => x.type)).toEqual(['tokenBudget', 'lastN']);
    expect(s().stepKeys).toEqual([b, a]);
    expect(s().policyDirty).toBe(true);
    s().moveStep(0, -1); // nowhere to go
    expect(s().stepKeys).toEqual([b, a]);
    s().moveStep(0, 1);
    expect(s().policyDirty).toBe(false); // back as it was saved
    s().setPolicyMeta({ name: '' });
    expect(s().policy.name).toBeUndefined();
    s().setPolicyError({ code: 'INVALID_INPUT', message: 'x' });
    s().removeStep(0);
    expect(s().policyError).toBeNull(); // an edit clears the backend's complaint about the old version
    expect(s().stepKeys).toEqual([b]);
    s().policySaved('q.policy.yaml');
    expect(s()).toMatchObject({ policyPath: 'q.policy.yaml', policyDirty: false });
  });
});

describe('timeline model', () => {
  it('pairs each result with the nearest call before it, numbers the turns and flags orphans', () => {
    const rows = buildTimeline({
      system: 'Be brief.',
      messages: [
        text('user', 'Hi'),
        call('c1', 'lookup', { id: 'u_1' }),
        result('c1', '{"ok":true}'),
        // the same id again: the next result answers this call
        call('c1', 'lookup', { id: 'u_2' }),
        result('c1', '{"ok":false}'),
        call('c2', 'book', '{not json'),
        result('c9', 'stray'),
        text('assistant', 'Done.\nSecond line.'),
      ],
    });
    expect(rows.map((r) => [r.index, r.role, r.turn])).toEqual([
      [-1, 'system', null],
      [0, 'user', null],
      [1, 'assistant', 1],
      [2, 'tool', null],
      [3, 'assistant', 2],
      [4, 'tool', null],
      [5, 'assistant', 3],
      [6, 'tool', null],
      [7, 'assistant', 4],
    ]);
    expect(rows[2]!.calls).toEqual([
      { id: 'c1', name: 'lookup', args: '{"id":"u_1"}', pair: 1, resultIndex: 2 },
    ]);
    expect(rows[4]!.calls[0]).toMatchObject({ pair: 2, resultIndex: 4 });
    expect(rows[5]!.results[0]).toMatchObject({ pair: 2, callIndex: 3, name: 'lookup' });
    expect(rows[6]!.calls[0]).toMatchObject({ pair: 3, resultIndex: null, args: '{not json' });
    expect(rows[7]!.results[0]).toMatchObject({ pair: null, callIndex: null, name: null });
    expect(rows[2]!.text).toBe('lookup({"id":"u_1"})');
    expect(previewOf(rows[8]!.prose)).toBe('Done.');
    expect(previewOf('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('suggests recall questions from ids in the early tool calls', () => {
    const messages = [
      text('user', 'Change my flight'),
      call('a', 'get_user_details', { user_id: 'sofia_kim_7287' }),
      result('a', '{}'),
      call('b', 'get_reservation_details', { reservation_id: 'OBUT9V', note: 'ignored' }),
      result('b', '{}'),
      call('c', 'get_user_details', { user_id: 'sofia_kim_7287' }),
      result('c', '{}'),
      call('e', 'get_reservation_details', { reservation_id: 'ZFA04Y' }),
      result('e', '{}'),
      call('d', 'late_call', { order_id: 'LATE1' }),
      result('d', '{}'),
      text('assistant', 'ok'),
      text('user', 'thanks'),
      text('assistant', 'bye'),
      text('user', 'bye'),
      text('assistant', 'bye'),
    ];
    expect(suggestQuestions(messages)).toEqual([
      {
        question:
          'Earlier in this conversation, what was the first user id passed to get_user_details? Answer with the value only.',
        expected: 'sofia_kim_7287',
      },
      {
        question:
          'Earlier in this conversation, what was the first reservation id passed to get_reservation_details? Answer with the value only.',
        expected: 'OBUT9V',
      },
      {
        question:
          'Earlier in this conversation, what was the second reservation id passed to get_reservation_details? Answer with the value only.',
        expected: 'ZFA04Y',
      },
    ]);
    expect(suggestQuestions(messages, 1)).toHaveLength(1);
  });
});

function result3(overrides: Partial<SimulationResult> = {}): SimulationResult {
  const series = (cost: number[]) => {
    let total = 0;
    return {
      messages: [1, 3, 5],
      inputTokens: [100, 200, 300],
      uncachedTokens: [100, 200, 300],
      cacheReadTokens: [0, 0, 0],
      cacheWriteTokens: [0, 0, 0],
      outputTokens: [10, 10, 10],
      requestUsd: cost,
      costUsd: cost,
      cumulativeUsd: cost.map((c) => (total += c)),
    };
  };
  const original = series([0.01, 0.02, 0.03]);
  const policy = {
    ...series([0.01, 0.025, 0.005]),
    summariserCalls: [0, 1, 0],
    summariserCached: [0, 0, 0],
    summariserUsd: [0, 0.004, 0],
    overBudget: [false, false, true],
  };
  policy.requestUsd = [0.01, 0.021, 0.005];
  return {
    model: 'gpt-4o',
    policyName: 'P',
    provider: 'openai',
    caching: 'openai-auto',
    turn: [1, 2, 3],
    messageIndex: [1, 3, 5],
    original,
    policy,
    breakEvenTurn: 3,
    summary: {} as SimulationResult['summary'],
    ...overrides,
  };
}

describe('simulation chart', () => {
  it('draws both sides per turn, stacks the summariser, and marks break-even, summaries and over-budget turns', () => {
    render(<SimulationChart result={result3()} />);
    const chart = screen.getByTestId('simulation-chart');
    expect(chart.querySelectorAll('rect.bar.original')).toHaveLength(3);
    expect(chart.querySelectorAll('rect.bar.summariser')).toHaveLength(1);
    expect(within(chart).getAllByTestId('chart-summary-mark')).toHaveLength(1);
    expect(chart.querySelectorAll('.over-budget-mark')).toHaveLength(1);
    expect(within(chart).getByTestId('chart-break-even').textContent).toBe('break-even: turn 3');
    expect(chart.querySelector('svg')!.getAttribute('aria-label')).toContain('break-even at turn 3');
    // the policy's bar of turn 2 is its request plus the summary on top, as tall as the original's $0.025
    const policyBar = chart.querySelectorAll('rect.bar.policy')[1]!;
    const summaryBar = chart.querySelector('rect.bar.summariser')!;
    expect(Number(summaryBar.getAttribute('y')) + Number(summaryBar.getAttribute('height'))).toBeCloseTo(
      Number(policyBar.getAttribute('y')),
    );
    // the hover text of a turn gives its figures
    expect(chart.querySelectorAll('rect.turn-hit')[1]!.textContent).toContain(
      'summariser: 1 call(s), $0.0040',
    );
  });

  it('says so when the policy never breaks even, and copes with no turns', () => {
    const { unmount } = render(<SimulationChart result={result3({ breakEvenTurn: null })} />);
    expect(screen.queryByTestId('chart-break-even')).toBeNull();
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('never breaks even');
    unmount();
    render(<SimulationChart result={result3({ turn: [], messageIndex: [] })} />);
    expect(screen.getByText('This conversation has no model turn to simulate.')).toBeTruthy();
  });
});
