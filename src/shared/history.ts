/** The history routes (issue 7): conversations, history policies, the turn-by-turn cost simulation. */
import { z } from 'zod';
import type { Conversation, HistoryFormat, HistoryWarning } from '../core/history/types';
import type { Policy } from '../core/history/policy';
import type { SimulationResult } from '../core/history/simulate';

const isObject = (v: unknown) => typeof v === 'object' && v !== null;
const WorkspacePath = z.string().min(1).max(4096);

/** One conversation of a history file, for the picker. */
export interface ConversationSummary {
  id: string;
  title?: string;
  messages: number;
  turns: number;
  toolCalls: number;
  /** Tokens of the text (o200k_base), without per-message framing: a size for the picker. */
  tokens: number;
}

export interface HistoryFileSummary {
  path: string;
  format: HistoryFormat;
  conversations: ConversationSummary[];
  warnings: HistoryWarning[];
}

/** A planted fact: a question about an early turn and the answer that proves the model still knows it. */
export const FidelityQuestionSchema = z
  .object({
    question: z.string().min(1).max(10_000),
    /** The answer; judged by `assert` (default: the answer contains it, ignoring case). */
    expected: z.string().min(1).max(10_000),
    /** Scorers as in a golden set (`{type, value?, weight?}`), e.g. `{type: 'regex', value: '\\bHAT\\d+'}`. */
    assert: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  })
  .strict();
export type FidelityQuestion = z.infer<typeof FidelityQuestionSchema>;

export interface FidelityAnswer {
  question: string;
  expected: string;
  output: string | null;
  pass: boolean;
  score: number;
  reason: string;
  error?: { code: string; message: string };
}

export interface FidelitySide {
  /** Share of questions answered right (0..1). */
  recall: number;
  passed: number;
  /** Input tokens of the history sent with each question. */
  historyTokens: number;
  costUsd: number;
  answers: FidelityAnswer[];
}

export interface FidelityModelResult {
  model: string;
  original: FidelitySide;
  policy: FidelitySide;
}

export interface FidelityResult {
  conversationId: string;
  policyName: string | undefined;
  models: FidelityModelResult[];
  /** Worst case checked against the budget before any call. */
  estimateUsd: number;
  spentUsd: number;
  notes: string[];
}

export const HISTORY_EXPORT_TARGETS = ['json', 'yaml', 'ts', 'py', 'langchain', 'anthropic'] as const;
export type HistoryExportTarget = (typeof HISTORY_EXPORT_TARGETS)[number];

/** The part of an input that names a policy: the policy itself (as in a `.policy.json`) or a policy file. */
const PolicyRef = z.object({ policy: z.unknown().optional(), policyPath: WorkspacePath.optional() });
/** Exactly one of the two. */
const onePolicy = (i: { policy?: unknown; policyPath?: string | undefined }) =>
  (i.policy === undefined) !== (i.policyPath === undefined);
const ONE_POLICY = { message: 'Give either policy or policyPath.' };

export const historyRouteSchemas = {
  /** History files (under a `histories/` or `conversations/` folder, or `*.history.json(l)`) and `*.policy.*` files. */
  'history.listFiles': {
    input: z.object({}).strict(),
    output: z.object({ histories: z.array(z.string()), policies: z.array(z.string()) }),
  },
  /** Reads a history file of the workspace: its format and every conversation with its size. */
  'history.load': {
    input: z.object({ path: WorkspacePath, format: z.string().optional() }).strict(),
    output: z.custom<HistoryFileSummary>(isObject),
  },
  /** One conversation in full. */
  'history.conversation': {
    input: z.object({ path: WorkspacePath, id: z.string().min(1) }).strict(),
    output: z.custom<{ conversation: Conversation }>(isObject),
  },
  /**
   * Replays a conversation turn by turn with and without the policy, for a model: per-turn tokens and cost,
   * cache reads, the summariser's calls, totals and the break-even turn. A summarising policy calls its model
   * through the configured providers (summaries are cached by content hash).
   */
  'history.simulate': {
    input: PolicyRef.extend({
      path: WorkspacePath,
      conversationId: z.string().min(1),
      model: z.string().min(1),
      caching: z.boolean().default(true),
    })
      .strict()
      .refine(onePolicy, ONE_POLICY),
    output: z.custom<SimulationResult>(isObject),
  },
  /**
   * Planted-fact recall: each question is asked after the whole conversation and after the policy-managed
   * one, on each model; answers are scored like benchmark cells. Refused above `budgetUsd` before any call.
   */
  'history.fidelity': {
    input: PolicyRef.extend({
      path: WorkspacePath,
      conversationId: z.string().min(1),
      models: z.array(z.string().min(1)).min(1).max(20),
      questions: z.array(FidelityQuestionSchema).min(1).max(200),
      maxTokens: z.number().int().min(1).max(4096).default(200),
      budgetUsd: z.number().nonnegative().finite(),
    })
      .strict()
      .refine(onePolicy, ONE_POLICY),
    output: z.custom<FidelityResult>(isObject),
  },
  /** A policy as ready-to-use text: the policy file, TypeScript or Python code, LangChain or Anthropic settings. */
  'history.renderPolicy': {
    input: PolicyRef.extend({
      target: z.enum(HISTORY_EXPORT_TARGETS),
    })
      .strict()
      .refine(onePolicy, ONE_POLICY),
    output: z.object({ text: z.string(), notes: z.array(z.string()), extension: z.string() }),
  },
  /** Writes the rendered policy into the workspace (its name must end with the target's extension). */
  'history.exportPolicy': {
    input: PolicyRef.extend({
      target: z.enum(HISTORY_EXPORT_TARGETS),
      path: WorkspacePath,
      overwrite: z.boolean().default(false),
    })
      .strict()
      .refine(onePolicy, ONE_POLICY),
    output: z.object({ path: z.string(), notes: z.array(z.string()) }),
  },
  'history.loadPolicy': {
    input: z.object({ path: WorkspacePath }).strict(),
    output: z.custom<{ path: string; policy: Policy }>(isObject),
  },
  /** Writes a policy (validated) as `.policy.json` or `.policy.yaml`. */
  'history.savePolicy': {
    input: z
      .object({ path: WorkspacePath, policy: z.unknown(), overwrite: z.boolean().default(true) })
      .strict(),
    output: z.object({ path: z.string() }),
  },
} as const;
