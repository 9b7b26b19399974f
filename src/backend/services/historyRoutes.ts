import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors';
import { conversationStats, importHistory } from '../../core/history/formats';
import {
  createRequestCounter,
  parsePolicy,
  policyFormatOf,
  readPolicyFile,
  writePolicyFile,
  type SummarisePort,
  type SummaryCache,
  type SummaryResult,
} from '../../core/history/policy';
import { applyPolicy, providerOf, type Policy } from '../../core/history/policy';
import { POLICY_EXPORTERS } from '../../core/history/export';
import { simulate } from '../../core/history/simulate';
import {
  messageText,
  type Conversation,
  type HistoryFormat,
  type HistoryMessage,
} from '../../core/history/types';
import { requestCost } from '../../core/pricing/requestCost';
import { scoreCase } from '../../core/scorers/run';
import type { AssertionSpec } from '../../core/scorers/types';
import { findModel, type Catalog } from '../../core/pricing/catalog';
import { resolveModelRef } from '../../core/providers/modelRef';
import type { Tokenizer } from '../../core/tokens/tokenizer';
import type {
  FidelityAnswer,
  FidelityQuestion,
  FidelityResult,
  FidelitySide,
  HistoryExportTarget,
  HistoryFileSummary,
} from '../../shared/history';
import type { ProviderRegistry } from '../providers/registry';
import { readTextFile, writeFileAtomic } from './textFiles';
import { listPromptFiles, resolveInside } from './workspace';

export interface HistoryRouteDeps {
  providers: ProviderRegistry;
  getCatalog: () => Promise<Catalog>;
  tokenizer: Tokenizer;
  workspaceRoot: () => string;
}

const HISTORY_EXT = /\.(jsonl?|txt|md|log)$/i;
const POLICY_FILE = /\.policy\.(json|ya?ml)$/i;
const isHistoryPath = (rel: string) =>
  HISTORY_EXT.test(rel) &&
  (/(^|\/)(histories|conversations)\//i.test(rel) || /\.(history|chat)\.jsonl?$/i.test(rel));

/** Bounded: a long session of simulations keeps at most this many summaries. */
const SUMMARY_CACHE_ENTRIES = 2_000;

/**
 * The history routes: files of the workspace read through the core importers, policies read and written as
 * `.policy.json`/`.policy.yaml`, and the turn-by-turn simulation, whose summarising steps call their model
 * through the provider registry (answers cached by content hash, so a re-run costs nothing).
 */
export function historyHandlers(deps: HistoryRouteDeps) {
  const summaries = new Map<string, SummaryResult>();
  const summaryCache: SummaryCache = {
    get: (key) => summaries.get(key),
    set: (key, value) => {
      summaries.set(key, value);
      if (summaries.size > SUMMARY_CACHE_ENTRIES) summaries.delete(summaries.keys().next().value!);
    },
  };

  const abs = (rel: string) => resolveInside(deps.workspaceRoot(), rel);
  /** Reads take a workspace path, or an absolute one (the CLI, like bench configs); writes stay in the workspace. */
  const readable = async (p: string) => (path.isAbsolute(p) ? p : abs(p));

  async function load(rel: string, format?: string) {
    const text = (await readTextFile(await readable(rel), rel)).content;
    return importHistory(text, rel, format ? { format: format as HistoryFormat } : {});
  }

  async function conversation(rel: string, id: string): Promise<Conversation> {
    const found = (await load(rel)).conversations.find((c) => c.id === id);
    if (!found) throw new AppError('NOT_FOUND', `${rel} has no conversation "${id}".`, { path: rel, id });
    return found;
  }

  const summarise =
    (catalog: Catalog): SummarisePort =>
    async (req) => {
      const ref = resolveModelRef(req.model, catalog);
      const completion = await deps.providers.get(ref.provider).complete({
        model: ref.model,
        system: req.system,
        messages: [{ role: 'user', content: req.user }],
        maxTokens: req.maxOutputTokens,
        purpose: 'History policy summary',
      });
      const u = completion.usage;
      const write1h = u.cacheWrite1h ?? 0;
      return {
        text: completion.text,
        usage: {
          inputTokens: u.inputTokens,
          outputTokens: u.outputTokens,
          ...(u.cacheRead ? { cacheReadTokens: u.cacheRead } : {}),
          ...(u.cacheWrite ? { cacheWrite5mTokens: u.cacheWrite - write1h } : {}),
          ...(write1h ? { cacheWrite1hTokens: write1h } : {}),
        },
        costUsd: completion.cost.usd,
      };
    };

  async function policyOf(input: { policy?: unknown; policyPath?: string }): Promise<Policy> {
    return input.policyPath !== undefined
      ? readPolicyFile(
          (await readTextFile(await readable(input.policyPath), input.policyPath)).content,
          input.policyPath,
        )
      : parsePolicy(input.policy);
  }

  /**
   * Planted-fact recall: the question after the full history and after the policy's, on each model. The
   * history goes out as text turns (tool calls and results written out), since a recall question needs what
   * the model read, not a replay of the tools.
   */
  async function fidelity(input: {
    path: string;
    conversationId: string;
    policy?: unknown;
    policyPath?: string;
    models: string[];
    questions: FidelityQuestion[];
    maxTokens: number;
    budgetUsd: number;
  }): Promise<FidelityResult> {
    const catalog = await deps.getCatalog();
    const policy = await policyOf(input);
    const conv = await conversation(input.path, input.conversationId);
    const plans = await Promise.all(
      input.models.map(async (spec) => {
        const ref = resolveModelRef(spec, catalog);
        if (!ref.entry)
          throw new AppError(
            'NO_PRICE',
            `${spec} has no catalog price, so the budget cap cannot be enforced.`,
            { model: spec },
          );
        const entry = ref.entry;
        const counter = createRequestCounter((t) => deps.tokenizer.count(t, entry.countWith));
        const managed = await applyPolicy(
          policy,
          { system: conv.system, messages: conv.messages },
          {
            provider: providerOf(entry),
            counter,
            ...(entry.contextWindow ? { contextWindow: entry.contextWindow } : {}),
            summarise: summarise(catalog),
            summaryCache,
          },
        );
        const sides = {
          original: asTextTurns(conv.messages),
          policy: asTextTurns(managed.messages),
        };
        const systems = { original: conv.system, policy: managed.system };
        const tokens = (side: 'original' | 'policy') =>
          deps.tokenizer.count(
            [systems[side] ?? '', ...sides[side].map((m) => m.content)].join('\n'),
            entry.countWith,
          );
        return {
          spec,
          ref,
          entry,
          sides,
          systems,
          tokens: { original: tokens('original'), policy: tokens('policy') },
        };
      }),
    );
    let estimateUsd = 0;
    for (const p of plans)
      for (const side of ['original', 'policy'] as const)
        for (const q of input.questions) {
          const inputTokens = p.tokens[side] + deps.tokenizer.count(q.question, p.entry.countWith);
          estimateUsd += requestCost(p.entry, { inputTokens, outputTokens: input.maxTokens }).totalUsd ?? 0;
        }
    if (estimateUsd > input.budgetUsd)
      throw new AppError(
        'BUDGET_EXCEEDED',
        `This recall check may cost up to $${estimateUsd.toFixed(4)} (${plans.length * 2 * input.questions.length} requests), above the $${input.budgetUsd.toFixed(2)} budget cap. Raise the cap, or ask fewer questions or models.`,
        { estimateUsd, capUsd: input.budgetUsd },
      );
    let spentUsd = 0;
    const models = [];
    for (const p of plans) {
      const ask = async (side: 'original' | 'policy'): Promise<FidelitySide> => {
        const answers: FidelityAnswer[] = [];
        let costUsd = 0;
        for (const q of input.questions) {
          const messages = withQuestion(p.sides[side], q.question);
          try {
            const c = await deps.providers.get(p.ref.provider).complete({
              model: p.ref.model,
              ...(p.systems[side] !== undefined ? { system: p.systems[side] } : {}),
              messages,
              maxTokens: input.maxTokens,
              temperature: 0,
              purpose: 'History recall check',
            });
            costUsd += c.cost.usd ?? 0;
            const specs: AssertionSpec[] = (q.assert ?? [{ type: 'icontains', value: q.expected }]).map(
              (a) => {
                const { type, weight, name, ...options } = a as {
                  type: string;
                  weight?: number;
                  name?: string;
                };
                return { type, weight: weight ?? 1, ...(name ? { name } : {}), options };
              },
            );
            const score = await scoreCase(specs, c.text, { vars: {}, expected: q.expected });
            answers.push({
              question: q.question,
              expected: q.expected,
              output: c.text,
              pass: score.pass,
              score: score.score,
              reason: score.reason,
            });
          } catch (err) {
            answers.push({
              question: q.question,
              expected: q.expected,
              output: null,
              pass: false,
              score: 0,
              reason: 'no answer',
              error: {
                code: err instanceof AppError ? err.code : 'INTERNAL',
                message: err instanceof Error ? err.message : String(err),
              },
            });
          }
        }
        spentUsd += costUsd;
        const passed = answers.filter((a) => a.pass).length;
        return { recall: passed / answers.length, passed, historyTokens: p.tokens[side], costUsd, answers };
      };
      models.push({ model: p.spec, original: await ask('original'), policy: await ask('policy') });
    }
    return {
      conversationId: conv.id,
      policyName: policy.name,
      models,
      estimateUsd,
      spentUsd,
      notes: [
        'The history is sent as text turns: tool calls and results are written out, not replayed as tool blocks.',
      ],
    };
  }

  async function render(input: { policy?: unknown; policyPath?: string; target: HistoryExportTarget }) {
    const exporter = POLICY_EXPORTERS[input.target];
    const { text, notes } = exporter.write(await policyOf(input));
    return { text, notes, extension: exporter.extension };
  }

  return {
    'history.fidelity': fidelity,
    'history.renderPolicy': render,
    'history.exportPolicy': async (input: {
      policy?: unknown;
      policyPath?: string;
      target: HistoryExportTarget;
      path: string;
      overwrite: boolean;
    }) => {
      const { text, notes, extension } = await render(input);
      if (!input.path.toLowerCase().endsWith(`.${extension}`))
        throw new AppError('INVALID_INPUT', `This export is a .${extension} file: ${input.path}.`, {
          path: input.path,
        });
      const target = await abs(input.path);
      if (!input.overwrite && (await exists(target)))
        throw new AppError(
          'FILE_EXISTS',
          `${input.path} already exists. Choose another name or overwrite it.`,
          {
            path: input.path,
          },
        );
      await fs.mkdir(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, new TextEncoder().encode(text), input.path);
      return { path: input.path, notes };
    },
    'history.listFiles': async () => {
      const root = deps.workspaceRoot();
      const histories = await listPromptFiles(root, (name) => HISTORY_EXT.test(name));
      const policies = await listPromptFiles(root, (name) => POLICY_FILE.test(name));
      return {
        histories: histories.files.map((f) => f.path).filter(isHistoryPath),
        policies: policies.files.map((f) => f.path),
      };
    },
    'history.load': async ({ path: rel, format }: { path: string; format?: string }) => {
      const imported = await load(rel, format);
      const count = (t: string) => deps.tokenizer.count(t, 'o200k_base');
      const summary: HistoryFileSummary = {
        path: rel,
        format: imported.format,
        conversations: imported.conversations.map((c) => ({
          id: c.id,
          ...(c.title !== undefined ? { title: c.title } : {}),
          ...conversationStats(c, count),
        })),
        warnings: imported.warnings,
      };
      return summary;
    },
    'history.conversation': async ({ path: rel, id }: { path: string; id: string }) => ({
      conversation: await conversation(rel, id),
    }),
    'history.simulate': async (input: {
      path: string;
      conversationId: string;
      policy?: unknown;
      policyPath?: string;
      model: string;
      caching: boolean;
    }) => {
      const catalog = await deps.getCatalog();
      const model = findModel(catalog, input.model);
      const policy = await policyOf(input);
      const conv = await conversation(input.path, input.conversationId);
      return simulate({
        conversation: conv,
        policy,
        model,
        counter: createRequestCounter((t) => deps.tokenizer.count(t, model.countWith)),
        caching: input.caching,
        summarise: summarise(catalog),
        summaryCache,
      });
    },
    'history.loadPolicy': async ({ path: rel }: { path: string }) => {
      const text = (await readTextFile(await readable(rel), rel)).content;
      return { path: rel, policy: readPolicyFile(text, rel) };
    },
    'history.savePolicy': async ({
      path: rel,
      policy,
      overwrite,
    }: {
      path: string;
      policy: unknown;
      overwrite: boolean;
    }) => {
      if (!POLICY_FILE.test(rel))
        throw new AppError(
          'INVALID_INPUT',
          `A history policy is saved as NAME.policy.json or NAME.policy.yaml: ${rel}.`,
          { path: rel },
        );
      const target = await abs(rel);
      if (!overwrite && (await exists(target)))
        throw new AppError('FILE_EXISTS', `${rel} already exists. Choose another name or overwrite it.`, {
          path: rel,
        });
      const text = writePolicyFile(parsePolicy(policy, rel), policyFormatOf(rel));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, new TextEncoder().encode(text), rel);
      return { path: rel };
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * A history as alternating text turns for a plain completion: tool results become user text, consecutive
 * turns of one role are joined, and a leading assistant turn gets a user turn before it.
 */
export function asTextTurns(
  messages: readonly HistoryMessage[],
): Array<{ role: 'user' | 'assistant'; content: string }> {
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const text = m.role === 'tool' ? `Tool result: ${messageText(m)}` : messageText(m);
    if (text === '') continue;
    const last = out.at(-1);
    if (last?.role === role) last.content += `\n\n${text}`;
    else out.push({ role, content: text });
  }
  if (out[0]?.role === 'assistant') out.unshift({ role: 'user', content: '(conversation start)' });
  return out;
}

/** The question as the last user turn (joined to a trailing user turn). */
function withQuestion(
  turns: ReadonlyArray<{ role: 'user' | 'assistant'; content: string }>,
  question: string,
): Array<{ role: 'user' | 'assistant'; content: string }> {
  const out = turns.map((t) => ({ ...t }));
  const last = out.at(-1);
  if (last?.role === 'user') last.content += `\n\n${question}`;
  else out.push({ role: 'user', content: question });
  return out;
}
