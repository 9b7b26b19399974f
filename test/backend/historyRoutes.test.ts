import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backend/createBackend';
import { call } from '../../src/backend/dispatch';
import type { ChatScriptRequest } from '../support/stubChat';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const ANTHROPIC_KEY = 'sk-ant-PLANTED-history-0001';
const OPENAI_KEY = 'sk-proj-PLANTED-history-0002';
const CONVERSATIONS = path.resolve('../shared/corpora/conversations');

interface Trajectory {
  task_id: number;
  trial: number;
  traj: Array<{ role: string; content: string | null }>;
}

let trajectories: Trajectory[];
beforeAll(async () => {
  const file = (await readdir(CONVERSATIONS)).find((f) => f.includes('tau'))!;
  trajectories = JSON.parse(await readFile(path.join(CONVERSATIONS, file), 'utf8')) as Trajectory[];
});

/** The summariser and recall questions answer through this script: never shown as a model's output. */
function script(req: ChatScriptRequest): string {
  if (req.system?.includes('summarise'))
    return 'Summary: the user is mia_li_3668 and wants a flight to Seattle.';
  const all = req.messages.map((m) => m.content).join('\n');
  if (all.includes('What is my dog called?'))
    return all.includes('Biscuit') ? 'Your dog is called Biscuit.' : 'I do not know.';
  return 'ok';
}

let stub: StubLlmServer;
let ws: string;
const backends: Backend[] = [];
beforeEach(async () => {
  stub = await startStubLlmServer({
    anthropic: { apiKey: ANTHROPIC_KEY, reply: script },
    openai: { apiKey: OPENAI_KEY, reply: script },
  });
  ws = await mkdtemp(path.join(os.tmpdir(), 'pp-history-'));
  await mkdir(path.join(ws, 'histories'));
  await mkdir(path.join(ws, 'policies'));
  // a planted fact in the first user message of the first trajectory, said nowhere else
  const planted = structuredClone(trajectories.slice(0, 3));
  planted[0]!.traj[1]!.content += ' (By the way, my dog is called Biscuit.)';
  await writeFile(path.join(ws, 'histories', 'tau.json'), JSON.stringify(planted));
  await writeFile(
    path.join(ws, 'policies', 'budget.policy.json'),
    JSON.stringify({ version: 1, name: 'last 4', steps: [{ type: 'lastN', messages: 4 }] }),
  );
  await writeFile(
    path.join(ws, 'policies', 'summarise.policy.yaml'),
    [
      'version: 1',
      'name: summarise old turns',
      'steps:',
      '  - type: summarise',
      '    model: claude-haiku-4-5',
      '    trigger: { messages: 8 }',
      '    keepLast: 4',
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  for (const b of backends.splice(0)) b.dispose();
  await stub.close();
});

async function backend(): Promise<Backend> {
  const b = createBackend({
    host: 'browser',
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'pp-history-data-')),
    watch: false,
    anthropicApiKey: ANTHROPIC_KEY,
    anthropicBaseURL: stub.url,
    openaiApiKey: OPENAI_KEY,
    openaiBaseURL: `${stub.url}/v1`,
  });
  backends.push(b);
  const opened = await call(b, 'workspace.open', { path: ws });
  if (!opened.ok) throw new Error(opened.error.message);
  return b;
}

async function ok<T>(
  p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>,
) {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

const chatCalls = () =>
  stub.requestsTo('POST /v1/messages').length + stub.requestsTo('POST /v1/chat/completions').length;

describe('history routes', () => {
  it('lists the histories and policies, reads a tau-bench file and one conversation', async () => {
    const b = await backend();
    expect(await ok(call(b, 'history.listFiles', {}))).toEqual({
      histories: ['histories/tau.json'],
      policies: ['policies/budget.policy.json', 'policies/summarise.policy.yaml'],
    });
    const file = await ok(call(b, 'history.load', { path: 'histories/tau.json' }));
    expect(file.format).toBe('openai');
    expect(file.conversations).toHaveLength(3);
    const first = file.conversations[0]!;
    // the system prompt is not a message; the rest are
    expect(first.messages).toBe(trajectories[0]!.traj.length - 1);
    expect(first.turns).toBe(trajectories[0]!.traj.filter((m) => m.role === 'user').length);
    const { conversation } = await ok(
      call(b, 'history.conversation', { path: 'histories/tau.json', id: first.id }),
    );
    expect(conversation.system).toContain('# Airline Agent Policy');
    const missing = await call(b, 'history.conversation', { path: 'histories/tau.json', id: 'nope' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });

  it('simulates a window policy turn by turn: the policy costs less from its break-even turn on', async () => {
    const b = await backend();
    const id = (await ok(call(b, 'history.load', { path: 'histories/tau.json' }))).conversations[0]!.id;
    const r = await ok(
      call(b, 'history.simulate', {
        path: 'histories/tau.json',
        conversationId: id,
        policyPath: 'policies/budget.policy.json',
        model: 'gpt-4o-mini',
      }),
    );
    expect(r.turn.length).toBe(r.summary.turns);
    expect(r.turn.length).toBeGreaterThan(3);
    // the original resends everything: its input only grows; the window keeps the policy's bounded
    for (let i = 1; i < r.turn.length; i++)
      expect(r.original.inputTokens[i]!).toBeGreaterThan(r.original.inputTokens[i - 1]!);
    expect(r.summary.policy.inputTokens).toBeLessThan(r.summary.original.inputTokens);
    expect(r.summary.savedUsd).toBeCloseTo(r.summary.original.costUsd - r.summary.policy.costUsd, 12);
    expect(r.breakEvenTurn).not.toBeNull();
    expect(chatCalls()).toBe(0);
  });

  it('summarises through the provider, counts the summariser, and caches summaries by content', async () => {
    const b = await backend();
    const id = (await ok(call(b, 'history.load', { path: 'histories/tau.json' }))).conversations[0]!.id;
    const input = {
      path: 'histories/tau.json',
      conversationId: id,
      policyPath: 'policies/summarise.policy.yaml',
      model: 'claude-sonnet-4-5',
    };
    const r = await ok(call(b, 'history.simulate', input));
    expect(r.summary.policy.summariserCalls).toBeGreaterThan(0);
    expect(r.summary.policy.summariserUsd).toBeGreaterThan(0);
    const calls = chatCalls();
    expect(calls).toBe(r.summary.policy.summariserCalls - r.summary.policy.summariserCached);
    // the same simulation again: every summary comes from the cache, no model call
    const again = await ok(call(b, 'history.simulate', input));
    expect(chatCalls()).toBe(calls);
    expect(again.summary.policy.inputTokens).toBe(r.summary.policy.inputTokens);
  });

  it('checks planted-fact recall with and without the policy, within a budget', async () => {
    const b = await backend();
    const id = (await ok(call(b, 'history.load', { path: 'histories/tau.json' }))).conversations[0]!.id;
    const input = {
      path: 'histories/tau.json',
      conversationId: id,
      policyPath: 'policies/budget.policy.json',
      models: ['gpt-4o-mini', 'claude-haiku-4-5'],
      questions: [{ question: 'What is my dog called?', expected: 'Biscuit' }],
      budgetUsd: 1,
    };
    const r = await ok(call(b, 'history.fidelity', input));
    expect(r.models.map((m) => [m.model, m.original.recall, m.policy.recall])).toEqual([
      ['gpt-4o-mini', 1, 0],
      ['claude-haiku-4-5', 1, 0],
    ]);
    expect(r.models[0]!.policy.historyTokens).toBeLessThan(r.models[0]!.original.historyTokens);
    expect(r.spentUsd).toBeGreaterThan(0);
    expect(r.spentUsd).toBeLessThanOrEqual(r.estimateUsd);
    expect(chatCalls()).toBe(4);
    const refused = await call(b, 'history.fidelity', { ...input, budgetUsd: 0.000001 });
    expect(refused.ok ? null : refused.error.code).toBe('BUDGET_EXCEEDED');
    expect(chatCalls()).toBe(4);
  });

  it('exports a policy into the workspace as code, refusing a wrong extension or an existing file', async () => {
    const b = await backend();
    const r = await ok(
      call(b, 'history.exportPolicy', {
        policyPath: 'policies/budget.policy.json',
        target: 'ts',
        path: 'exports/policy.ts',
      }),
    );
    expect(r.path).toBe('exports/policy.ts');
    expect(await readFile(path.join(ws, 'exports/policy.ts'), 'utf8')).toContain('applyPolicy');
    const again = await call(b, 'history.exportPolicy', {
      policyPath: 'policies/budget.policy.json',
      target: 'ts',
      path: 'exports/policy.ts',
    });
    expect(again.ok ? null : again.error.code).toBe('FILE_EXISTS');
    const wrong = await call(b, 'history.exportPolicy', {
      policyPath: 'policies/budget.policy.json',
      target: 'py',
      path: 'exports/policy.ts',
    });
    expect(wrong.ok ? null : wrong.error.code).toBe('INVALID_INPUT');
  });

  it('saves and reloads a policy, and refuses a bad one with a coded message naming the field', async () => {
    const b = await backend();
    const policy = {
      version: 1,
      name: 'tools',
      steps: [{ type: 'toolResults', truncate: { maxTokens: 200 } }],
    };
    expect(await ok(call(b, 'history.savePolicy', { path: 'policies/tools.policy.yaml', policy }))).toEqual({
      path: 'policies/tools.policy.yaml',
    });
    const back = await ok(call(b, 'history.loadPolicy', { path: 'policies/tools.policy.yaml' }));
    expect(back.policy.steps[0]).toMatchObject({ type: 'toolResults', truncate: { maxTokens: 200 } });
    const bad = await call(b, 'history.savePolicy', {
      path: 'policies/bad.policy.json',
      policy: { version: 1, steps: [{ type: 'lastN' }] },
    });
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_INPUT');
    const wrongName = await call(b, 'history.savePolicy', { path: 'policies/x.json', policy });
    expect(wrongName.ok ? null : wrongName.error.code).toBe('INVALID_INPUT');
    const outside = await call(b, 'history.savePolicy', { path: '../x.policy.json', policy });
    expect(outside.ok ? null : outside.error.code).toBe('PATH_OUTSIDE_WORKSPACE');
  });
});
