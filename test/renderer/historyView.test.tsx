import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationStats, importHistory } from '../../src/core/history/formats';
import {
  createRequestCounter,
  parsePolicy,
  policyFormatOf,
  readPolicyFile,
  writePolicyFile,
  type SummariseRequest,
} from '../../src/core/history/policy';
import { POLICY_EXPORTERS } from '../../src/core/history/export';
import { simulate, type SimulationResult } from '../../src/core/history/simulate';
import { createGptTokenizer } from '../../src/core/tokens/gptTokenizer';
import { App } from '../../src/renderer/src/App';
import { useBenchStore } from '../../src/renderer/src/stores/bench';
import { useDialogStore } from '../../src/renderer/src/stores/dialog';
import { useHistoryStore } from '../../src/renderer/src/stores/history';
import { setTransport } from '../../src/renderer/src/transport';
import { FakeRouteError } from '../../src/renderer/src/transport/fakeTransport';
import { isAppError } from '../../src/shared/errors';
import type { FidelityResult } from '../../src/shared/history';
import type { ModelEntry } from '../../src/core/pricing/catalog';
import { createFakeBackend, fakeTokens, type FakeBackend } from './support/fakeBackend';
import { resetApp } from './support/reset';
import { TextareaEditor } from './support/TextareaEditor';
import catalogJson from '../../resources/models.json?raw';
import sampleHistory from '../../resources/sample-workspace/histories/tau-bench-airline-sample.json?raw';
import budgetPolicy from '../../resources/sample-workspace/policies/token-budget.policy.json?raw';
import summarisePolicy from '../../resources/sample-workspace/policies/summarise-old-turns.policy.json?raw';

/** The sample workspace's four real tau-bench airline trajectories (MIT; see its SOURCES.tsv), and its policies. */
const HISTORY = 'histories/tau-bench-airline-sample.json';
const SUMMARISE = 'policies/summarise-old-turns.policy.json';
const BUDGET = 'policies/token-budget.policy.json';
const SAMPLE: Record<string, string> = {
  [HISTORY]: sampleHistory,
  [SUMMARISE]: summarisePolicy,
  [BUDGET]: budgetPolicy,
};
const read = (rel: string) => SAMPLE[rel]!;
/** The shipped catalog: real prices and caching rules, as the simulation needs them. */
const MODELS = (JSON.parse(catalogJson) as { models: ModelEntry[] }).models;
const o200k = (text: string) => createGptTokenizer().count(text, 'o200k_base');

afterEach(() => {
  resetApp();
  useBenchStore.getState().reset();
  useHistoryStore.getState().reset();
});

/** Runs a core call the way dispatch does: an AppError becomes the coded error the transport carries. */
async function coded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isAppError(err)) throw new FakeRouteError(err.code, err.message, err.details);
    throw err;
  }
}

interface HistoryFake {
  policies: Map<string, string>;
  /** Files written by history.exportPolicy. */
  exports: Map<string, string>;
  /** What the summariser was asked (nothing here is a model: the fake answers with a fixed text). */
  summaries: SummariseRequest[];
  simulations: SimulationResult[];
}

/**
 * The history routes over the real core (importer, policy files, simulation) and the sample workspace's
 * files; the summariser is a function returning a fixed text with a made-up cost.
 */
function addHistoryRoutes(backend: FakeBackend, more: Record<string, string>): HistoryFake {
  const imported = importHistory(read(HISTORY), HISTORY);
  const fake: HistoryFake = {
    policies: new Map([[SUMMARISE, read(SUMMARISE)], [BUDGET, read(BUDGET)], ...Object.entries(more)]),
    summaries: [],
    simulations: [],
    exports: new Map(),
  };
  const render = (input: { policy?: unknown; target: keyof typeof POLICY_EXPORTERS }) => {
    const exporter = POLICY_EXPORTERS[input.target];
    return { ...exporter.write(parsePolicy(input.policy)), extension: exporter.extension };
  };
  const conversation = (p: string, id: string) => {
    if (p !== HISTORY) throw new FakeRouteError('FILE_NOT_FOUND', `${p} does not exist.`, { path: p });
    const c = imported.conversations.find((x) => x.id === id);
    if (!c) throw new FakeRouteError('NOT_FOUND', `${p} has no conversation "${id}".`);
    return c;
  };
  backend.transport.handle({
    'history.listFiles': () => ({ histories: [HISTORY], policies: [...fake.policies.keys()].sort() }),
    'history.load': ({ path: p }) => {
      if (p !== HISTORY) throw new FakeRouteError('FILE_NOT_FOUND', `${p} does not exist.`, { path: p });
      return {
        path: p,
        format: imported.format,
        conversations: imported.conversations.map((c) => ({
          id: c.id,
          ...(c.title !== undefined ? { title: c.title } : {}),
          ...conversationStats(c, o200k),
        })),
        warnings: imported.warnings,
      };
    },
    'history.conversation': ({ path: p, id }) => ({ conversation: conversation(p, id) }),
    'history.loadPolicy': ({ path: p }) =>
      coded(() => {
        const text = fake.policies.get(p);
        if (text === undefined) throw new FakeRouteError('FILE_NOT_FOUND', `${p} does not exist.`);
        return { path: p, policy: readPolicyFile(text, p) };
      }),
    'history.savePolicy': ({ path: p, policy, overwrite }) =>
      coded(() => {
        if (overwrite === false && fake.policies.has(p))
          throw new FakeRouteError('FILE_EXISTS', `${p} already exists.`, { path: p });
        fake.policies.set(p, writePolicyFile(parsePolicy(policy, p), policyFormatOf(p)));
        return { path: p };
      }),
    'history.renderPolicy': (input) => coded(() => render(input)),
    'history.exportPolicy': (input) =>
      coded(() => {
        const r = render(input);
        if (!input.path.endsWith(`.${r.extension}`))
          throw new FakeRouteError('INVALID_INPUT', `This export is a .${r.extension} file: ${input.path}.`);
        if (!input.overwrite && fake.exports.has(input.path))
          throw new FakeRouteError('FILE_EXISTS', `${input.path} already exists.`);
        fake.exports.set(input.path, r.text);
        return { path: input.path, notes: r.notes };
      }),
    'history.simulate': (input) =>
      coded(async () => {
        const model = MODELS.find((m) => m.id === input.model)!;
        const result = await simulate({
          conversation: conversation(input.path, input.conversationId),
          policy: parsePolicy(input.policy),
          model,
          counter: createRequestCounter(fakeTokens),
          caching: input.caching ?? true,
          summarise: async (req) => {
            fake.summaries.push(req);
            return {
              text: '[fake summary]',
              usage: { inputTokens: 1000, outputTokens: 20 },
              costUsd: 0.0011,
            };
          },
        });
        fake.simulations.push(result);
        return result;
      }),
  });
  return fake;
}

async function setup(
  morePolicies: Record<string, string> = {},
): Promise<{ backend: FakeBackend; fake: HistoryFake }> {
  const backend = createFakeBackend({ 'prompts/agent.md': 'You are an airline agent.' }, { models: MODELS });
  const fake = addHistoryRoutes(backend, morePolicies);
  setTransport(backend.transport);
  render(<App editor={TextareaEditor} />);
  await screen.findAllByTestId('file-item');
  return { backend, fake };
}

const item = (testId: string, p: string) =>
  screen.findAllByTestId(testId).then((all) => all.find((el) => el.dataset.path === p)!);

async function openSample() {
  fireEvent.click(await item('history-file-item', HISTORY));
  await screen.findByTestId('history-view');
  await waitFor(() => expect(screen.getAllByTestId('timeline-row').length).toBeGreaterThan(0));
}

async function loadSummarisePolicy() {
  fireEvent.click(await item('policy-file-item', SUMMARISE));
  await waitFor(() => expect(screen.getByTestId('policy-path').textContent).toBe(SUMMARISE));
}

const conversationRow = (id: string) =>
  screen.getAllByTestId('conversation-row').find((r) => r.dataset.id === id)!;

describe('History view', () => {
  it('lists histories and policies, and opens a history with its conversations and the first timeline', async () => {
    await setup();
    expect((await item('history-file-item', HISTORY)).textContent).toContain('tau-bench-airline-sample.json');
    const policies = await screen.findAllByTestId('policy-file-item');
    expect(policies.map((p) => p.dataset.path)).toEqual([SUMMARISE, BUDGET]);
    await openSample();
    expect(screen.getByTestId('history-title').textContent).toBe('tau-bench-airline-sample.json');
    expect(screen.getByTestId('history-facts').textContent).toContain(
      'OpenAI chat messages · 4 conversations',
    );
    expect(screen.getByTestId('history-facts').textContent).toContain('3 warnings from the import');
    const rows = screen.getAllByTestId('conversation-row');
    expect(rows.map((r) => r.dataset.id)).toEqual([
      'task-3-trial-0',
      'task-11-trial-0',
      'task-20-trial-1',
      'task-13-trial-2',
    ]);
    // title, user turns, messages, tool calls, tokens
    const cells = within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(rows[0]!.textContent).toContain('Task 3, trial 0 (reward 0)');
    expect(cells).toEqual(['11', '61', '20', '7,475']);
    expect(rows[0]!.getAttribute('aria-selected')).toBe('true');
    // the first conversation: the system prompt and its 61 messages
    expect(screen.getAllByTestId('timeline-row')).toHaveLength(62);
    // the prompt editor is hidden behind the view, and no prompt is shown as selected
    expect(
      screen.getAllByTestId('file-item').every((el) => el.getAttribute('aria-selected') === 'false'),
    ).toBe(true);
  });

  it('shows one row per message with exact token bars, turn numbers and paired tool calls', async () => {
    await setup();
    await openSample();
    fireEvent.click(within(conversationRow('task-11-trial-0')).getByRole('button'));
    await waitFor(() => expect(screen.getAllByTestId('timeline-row')).toHaveLength(36));
    // once the tokenizer is in, the counts are exact and add up to the picker's figure
    await waitFor(() => expect(screen.getByTestId('timeline-stats').textContent).not.toContain('≈'));
    expect(screen.getByTestId('timeline-stats').textContent).toBe('35 messages · 3,561 tokens of text');
    const rows = screen.getAllByTestId('timeline-row');
    const total = rows.reduce((sum, r) => sum + Number(r.dataset.tokens), 0);
    expect(total).toBe(3561);
    expect(rows[0]!.dataset.role).toBe('system');
    // the biggest message has the full bar; the others are proportional
    const biggest = rows.reduce((a, b) => (Number(b.dataset.tokens) > Number(a.dataset.tokens) ? b : a));
    expect((biggest.querySelector('.tl-bar-fill') as HTMLElement).style.width).toBe('100%');
    // assistant messages after the first message carry the simulation's turn numbers
    const turns = rows
      .filter((r) => r.dataset.role === 'assistant')
      .map((r) => r.querySelector('.tl-turn')?.textContent);
    expect(turns[0]).toBe('turn 1');
    expect(turns.at(-1)).toBe(`turn ${turns.length}`);
    // every call has its result, and both ends share the pair number
    const calls = screen.getAllByTestId('tool-call');
    const results = screen.getAllByTestId('tool-result');
    expect(calls).toHaveLength(10);
    expect(results.map((r) => r.dataset.pair)).toEqual(calls.map((c) => c.dataset.pair));
    // jump from a call to its result: the result's row is highlighted
    fireEvent.click(within(calls[0]!).getByRole('button', { name: 'result ↓' }));
    const resultRow = results[0]!.closest('li')!;
    expect(resultRow.className).toContain('highlighted');
    // the text is collapsed to a line, and opens in full
    const user = rows.find((r) => r.dataset.role === 'user')!;
    const toggle = within(user).getByTestId('timeline-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(user.querySelector('pre.tl-text')).toBeTruthy();
  });

  it('loads a policy from the sidebar, shows a value the schema refuses in place, and saves edits', async () => {
    const { backend, fake } = await setup();
    await openSample();
    await loadSummarisePolicy();
    const step = screen.getByTestId('policy-step');
    expect(step.dataset.type).toBe('summarise');
    expect(step.textContent).toContain('Summarise with claude-haiku-4-5 at 20 messages, keep the last 6');
    expect(screen.queryByTestId('policy-dirty')).toBeNull();

    fireEvent.click(within(step).getByTestId('policy-step-toggle'));
    // the summariser is picked among the catalog's models
    const model = within(step).getByTestId('step-model') as HTMLSelectElement;
    expect(model.value).toBe('claude-haiku-4-5');
    expect([...model.options].map((o) => o.value)).toContain('gpt-4o-mini');
    fireEvent.change(within(step).getByTestId('step-keep-last'), { target: { value: '-1' } });
    const error = screen.getByTestId('policy-error');
    expect(error.textContent).toContain(`${SUMMARISE}: steps[0].keepLast: Too small`);
    expect(error.textContent).toContain('INVALID_INPUT');
    expect((screen.getByTestId('simulate-button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('policy-dirty')).toBeTruthy();
    fireEvent.change(within(step).getByTestId('step-keep-last'), { target: { value: '4' } });
    expect(screen.queryByTestId('policy-error')).toBeNull();

    fireEvent.click(screen.getByTestId('policy-save'));
    await waitFor(() => expect(screen.queryByTestId('policy-dirty')).toBeNull());
    expect(backend.transport.callsTo('history.savePolicy')).toMatchObject([
      { path: SUMMARISE, overwrite: true },
    ]);
    expect(readPolicyFile(fake.policies.get(SUMMARISE)!, SUMMARISE).steps[0]).toMatchObject({
      type: 'summarise',
      keepLast: 4,
    });
  });

  it('adds, reorders, switches off and removes steps, each added with the schema defaults', async () => {
    const { backend } = await setup();
    await openSample();
    await loadSummarisePolicy();
    fireEvent.change(screen.getByTestId('policy-add-type'), { target: { value: 'tokenBudget' } });
    fireEvent.click(screen.getByTestId('policy-add-step'));
    let steps = screen.getAllByTestId('policy-step');
    expect(steps.map((s) => s.dataset.type)).toEqual(['summarise', 'tokenBudget']);
    // a new step opens with its form, filled with defaults
    expect((within(steps[1]!).getByTestId('step-max-tokens') as HTMLInputElement).value).toBe('8000');
    fireEvent.click(screen.getByRole('button', { name: 'Move step 2 up' }));
    steps = screen.getAllByTestId('policy-step');
    expect(steps.map((s) => s.dataset.type)).toEqual(['tokenBudget', 'summarise']);
    // the open form moved with its step
    expect(within(steps[0]!).getByTestId('step-max-tokens')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Step 2 (Summarise) on' }));
    expect(steps[1]!.className).toContain('disabled');
    fireEvent.change(screen.getByTestId('policy-add-type'), { target: { value: 'toolResults' } });
    fireEvent.click(screen.getByTestId('policy-add-step'));
    const tools = screen.getAllByTestId('policy-step')[2]!;
    expect(tools.textContent).toContain('Truncate results over 500 tokens');
    // untick the only option: the schema needs one of them
    fireEvent.click(within(tools).getByTestId('step-truncate'));
    expect(screen.getByTestId('policy-error').textContent).toContain(
      'steps[2]: needs `truncate`, `clear` or both',
    );
    fireEvent.click(within(tools).getByTestId('step-clear'));
    expect(screen.queryByTestId('policy-error')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove step 1 (Token budget)' }));
    expect(screen.getAllByTestId('policy-step').map((s) => s.dataset.type)).toEqual([
      'summarise',
      'toolResults',
    ]);

    // Save as a YAML file next to it: the policy written is the one edited
    fireEvent.click(screen.getByRole('button', { name: 'Save as…' }));
    const input = screen.getByTestId('policy-save-as-path') as HTMLInputElement;
    expect(input.value).toBe(SUMMARISE);
    fireEvent.change(input, { target: { value: 'policies/summarise-then-clear.policy.yaml' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() =>
      expect(screen.getByTestId('policy-path').textContent).toBe('policies/summarise-then-clear.policy.yaml'),
    );
    const saved = backend.transport.callsTo('history.savePolicy')[0] as { policy: { steps: unknown[] } };
    expect(saved.policy.steps).toMatchObject([
      { type: 'summarise', enabled: false },
      { type: 'toolResults', clear: { keep: 3 } },
    ]);
    await waitFor(async () =>
      expect((await screen.findAllByTestId('policy-file-item')).map((p) => p.dataset.path)).toContain(
        'policies/summarise-then-clear.policy.yaml',
      ),
    );
  });

  it('asks before replacing another existing policy file, and before dropping unsaved edits', async () => {
    const { backend, fake } = await setup();
    await openSample();
    await loadSummarisePolicy();
    fireEvent.change(screen.getByTestId('policy-name'), { target: { value: 'Mine' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as…' }));
    const input = screen.getByTestId('policy-save-as-path');
    fireEvent.change(input, { target: { value: BUDGET } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Replace the file?'));
    act(() => useDialogStore.getState().answer('replace'));
    await waitFor(() => expect(screen.getByTestId('policy-path').textContent).toBe(BUDGET));
    expect(backend.transport.callsTo('history.savePolicy')).toMatchObject([
      { path: BUDGET, overwrite: false },
      { path: BUDGET, overwrite: true },
    ]);
    expect(readPolicyFile(fake.policies.get(BUDGET)!, BUDGET).name).toBe('Mine');

    // unsaved edits, then another policy: the user is asked, and Cancel keeps the edits
    fireEvent.change(screen.getByTestId('policy-name'), { target: { value: 'Mine, edited' } });
    fireEvent.click(await item('policy-file-item', SUMMARISE));
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Unsaved policy'));
    act(() => useDialogStore.getState().answer('cancel'));
    await waitFor(() => expect(useDialogStore.getState().current).toBeNull());
    expect((screen.getByTestId('policy-name') as HTMLInputElement).value).toBe('Mine, edited');
    expect(screen.getByTestId('policy-path').textContent).toBe(BUDGET);
  });

  it('simulates the conversation with the policy on the target model and shows the figures and the chart', async () => {
    const { backend, fake } = await setup();
    await openSample();
    await loadSummarisePolicy();
    const target = screen.getByTestId('target-model') as HTMLSelectElement;
    expect(target.value).toBe('gpt-4o'); // the app's selected model
    fireEvent.click(screen.getByTestId('simulate-button'));
    await screen.findByTestId('simulation-result');
    expect(backend.transport.callsTo('history.simulate')).toEqual([
      {
        path: HISTORY,
        conversationId: 'task-3-trial-0',
        policy: expect.objectContaining({ name: 'Summarise old turns' }),
        model: 'gpt-4o',
        caching: true,
        // a summarising policy asks a model: the run is a job (spend in the jobs panel, cancellable)
        jobId: expect.stringMatching(/^summarise-/),
      },
    ]);
    const r = fake.simulations[0]!;
    const s = r.summary;
    expect(fake.summaries.length).toBeGreaterThan(0);
    expect(fake.summaries.every((q) => q.model === 'claude-haiku-4-5' && q.maxOutputTokens === 400)).toBe(
      true,
    );
    expect(screen.getByTestId('sim-summariser').textContent).toBe(
      `${s.policy.summariserCalls} ${s.policy.summariserCalls === 1 ? 'call' : 'calls'}`,
    );
    expect(s.breakEvenTurn).not.toBeNull();
    expect(screen.getByTestId('sim-break-even').textContent).toBe(`turn ${s.breakEvenTurn}`);
    expect(screen.getByTestId('sim-over-budget').textContent).toBe('0 turns');
    expect(screen.getByTestId('sim-tokens').textContent).toContain(
      new Intl.NumberFormat('en-US').format(s.savedInputTokens),
    );
    const chart = screen.getByTestId('simulation-chart');
    expect(chart.querySelectorAll('rect.bar.original')).toHaveLength(s.turns);
    expect(chart.querySelectorAll('rect.bar.policy')).toHaveLength(s.turns);
    expect(within(chart).getByTestId('chart-break-even').textContent).toBe(
      `break-even: turn ${s.breakEvenTurn}`,
    );
    expect(within(chart).getAllByTestId('chart-summary-mark')).toHaveLength(s.policy.summariserCalls);
    expect(screen.getAllByTestId('timeline-summary-mark')).toHaveLength(s.policy.summariserCalls);
    for (const note of s.notes) expect(screen.getByTestId('simulation-notes').textContent).toContain(note);

    // clicking a turn of the chart finds its message in the timeline
    const hits = chart.querySelectorAll('rect.turn-hit');
    fireEvent.click(hits[2]!);
    const row = screen
      .getAllByTestId('timeline-row')
      .find((el) => el.dataset.index === String(r.messageIndex[2]));
    expect(row!.className).toContain('highlighted');

    // an edit leaves the result up, marked out of date
    expect(screen.getByTestId('simulation-result').dataset.stale).toBe('false');
    fireEvent.change(screen.getByTestId('target-model'), { target: { value: 'claude-sonnet-4-5' } });
    expect(screen.getByTestId('simulation-result').dataset.stale).toBe('true');
    expect(screen.getByTestId('simulation-stale')).toBeTruthy();
  });

  it('shows a policy error from the backend in place and as a notice with its code', async () => {
    const { backend } = await setup();
    await openSample();
    backend.transport.handle({
      'history.simulate': () => {
        throw new FakeRouteError(
          'INVALID_INPUT',
          'policy: steps[0].trigger: needs `tokens`, `messages` or `contextFraction`',
          { file: 'policy', field: 'steps[0].trigger' },
        );
      },
    });
    await loadSummarisePolicy();
    fireEvent.click(screen.getByTestId('simulate-button'));
    const error = await screen.findByTestId('policy-error');
    expect(error.textContent).toContain('steps[0].trigger: needs');
    expect(error.textContent).toContain('INVALID_INPUT');
    expect(screen.getByTestId('simulation-error').textContent).toContain('INVALID_INPUT');
    expect(screen.getAllByTestId('notice').some((n) => n.dataset.code === 'INVALID_INPUT')).toBe(true);
    // the step named by the error is opened
    expect(within(screen.getByTestId('policy-step')).getByTestId('step-model')).toBeTruthy();
  });

  it('keeps the editor as it was when a policy file does not validate', async () => {
    await setup({ 'policies/broken.policy.json': '{"version": 1, "steps": [{"type": "lastN"}]}' });
    await openSample();
    await loadSummarisePolicy();
    fireEvent.click(await item('policy-file-item', 'policies/broken.policy.json'));
    const error = await screen.findByTestId('policy-error');
    expect(error.textContent).toContain('policies/broken.policy.json');
    expect(error.textContent).toContain('needs exactly one of `messages` and `turns`');
    expect(screen.getByTestId('policy-path').textContent).toBe(SUMMARISE);
    expect(screen.getAllByTestId('notice').some((n) => n.dataset.code === 'INVALID_INPUT')).toBe(true);
  });

  it('closes for a prompt and comes back as it was', async () => {
    await setup();
    await openSample();
    fireEvent.click(within(conversationRow('task-20-trial-1')).getByRole('button'));
    await waitFor(() =>
      expect(conversationRow('task-20-trial-1').getAttribute('aria-selected')).toBe('true'),
    );
    fireEvent.click(screen.getAllByTestId('file-item')[0]!);
    await waitFor(() => expect(screen.queryByTestId('history-view')).toBeNull());
    expect(screen.getAllByTestId('file-item')[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.click(await item('history-file-item', HISTORY));
    await screen.findByTestId('history-view');
    expect(conversationRow('task-20-trial-1').getAttribute('aria-selected')).toBe('true');
    // the tab's close button goes back to the prompt
    fireEvent.click(screen.getByRole('button', { name: 'Close tau-bench-airline-sample.json' }));
    expect(screen.queryByTestId('history-view')).toBeNull();
  });

  it('says so when the host has no history routes', async () => {
    const backend = createFakeBackend({ 'prompts/a.md': 'x' });
    setTransport(backend.transport);
    render(<App editor={TextareaEditor} />);
    expect(await screen.findByText('This host does not read conversation histories.')).toBeTruthy();
    expect(screen.queryAllByTestId('notice')).toHaveLength(0);
  });

  it('checks planted-fact recall with and without the policy', async () => {
    const { backend } = await setup();
    const answer = (output: string, pass: boolean) => ({
      question: 'Which user id?',
      expected: 'sofia_kim_7287',
      output,
      pass,
      score: pass ? 1 : 0,
      reason: pass ? 'contains the expected text' : 'does not contain the expected text',
    });
    const result: FidelityResult = {
      conversationId: 'task-3-trial-0',
      policyName: 'Summarise old turns',
      models: [
        {
          model: 'gpt-4o-mini',
          original: {
            recall: 1,
            passed: 1,
            historyTokens: 7000,
            costUsd: 0.0011,
            answers: [answer('sofia_kim_7287', true)],
          },
          policy: {
            recall: 0,
            passed: 0,
            historyTokens: 2100,
            costUsd: 0.0004,
            answers: [answer('I do not know', false)],
          },
        },
      ],
      estimateUsd: 0.004,
      spentUsd: 0.0015,
      notes: [],
    };
    backend.transport.handle({ 'history.fidelity': () => result });
    await openSample();
    await loadSummarisePolicy();
    const panel = screen.getByTestId('fidelity-panel');
    fireEvent.click(within(panel).getByTestId('fidelity-suggest'));
    const questions = within(panel).getAllByTestId('fidelity-question');
    expect(questions.length).toBeGreaterThan(0);
    // the first suggestion is the user id the agent looked up first
    expect((within(questions[0]!).getByLabelText('Expected answer 1') as HTMLInputElement).value).toBe(
      'sofia_kim_7287',
    );
    fireEvent.change(within(panel).getByLabelText('Add a model'), { target: { value: 'gpt-4o-mini' } });
    fireEvent.click(within(panel).getByTestId('fidelity-run'));
    await within(panel).findByTestId('fidelity-result');
    expect(backend.transport.callsTo('history.fidelity')).toMatchObject([
      {
        path: HISTORY,
        conversationId: 'task-3-trial-0',
        models: ['gpt-4o', 'gpt-4o-mini'],
        budgetUsd: 0.25,
        policy: { name: 'Summarise old turns' },
      },
    ]);
    expect(within(panel).getByTestId('fidelity-original').textContent).toBe('100% (1/1)');
    expect(within(panel).getByTestId('fidelity-policy').textContent).toBe('0% (0/1)');
  });

  it('exports the policy as code or settings, with what the target cannot express', async () => {
    const { backend, fake } = await setup();
    await openSample();
    await loadSummarisePolicy();
    const panel = screen.getByTestId('export-panel');
    fireEvent.click(panel.querySelector('summary')!);
    const preview = await within(panel).findByTestId('export-preview');
    // TypeScript by default: a function the app can call, with the notes on how to use it
    expect(preview.textContent).toContain('claude-haiku-4-5');
    expect(within(panel).getByTestId('export-notes').textContent).toContain('summarise callback');
    expect((within(panel).getByTestId('export-path') as HTMLInputElement).value).toBe(
      'exports/summarise-old-turns.ts',
    );
    // Anthropic context editing cannot summarise: the notes say so
    fireEvent.change(within(panel).getByTestId('export-target'), { target: { value: 'anthropic' } });
    await waitFor(() =>
      expect(within(panel).getByTestId('export-notes').textContent).toContain('Not expressed'),
    );
    expect(within(panel).getByTestId('export-notes').querySelector('.not-expressed')).toBeTruthy();
    expect((within(panel).getByTestId('export-path') as HTMLInputElement).value).toBe(
      'exports/summarise-old-turns.json',
    );
    fireEvent.click(within(panel).getByTestId('export-button'));
    await within(panel).findByTestId('export-written');
    expect(backend.transport.callsTo('history.exportPolicy')).toMatchObject([
      { target: 'anthropic', path: 'exports/summarise-old-turns.json', overwrite: false },
    ]);
    expect(fake.exports.get('exports/summarise-old-turns.json')).toBe(
      (await within(panel).findByTestId('export-preview')).textContent,
    );
    // again: the file exists, and is only replaced after the user says so
    fireEvent.click(within(panel).getByTestId('export-button'));
    await waitFor(() => expect(useDialogStore.getState().current?.title).toBe('Replace the file?'));
    act(() => useDialogStore.getState().answer('replace'));
    await waitFor(() => expect(backend.transport.callsTo('history.exportPolicy')).toHaveLength(3));
    expect(backend.transport.callsTo('history.exportPolicy')[2]).toMatchObject({ overwrite: true });
  });
});
