/**
 * The policy editor's pure rules: new steps with the schema's defaults, a one-line description per step, and
 * the schema's own validation turned into messages per field (the same wording the backend uses).
 */
import { fieldName } from '../../../../core/golden/schema';
import {
  DEFAULT_CLEARED_PLACEHOLDER,
  DEFAULT_SUMMARY_PROMPT,
  DEFAULT_TRUNCATION_MARKER,
  DropRepeatsStepSchema,
  LastNStepSchema,
  PolicySchema,
  SummariseStepSchema,
  TokenBudgetStepSchema,
  ToolResultsStepSchema,
  type Policy,
  type PolicyInput,
  type PolicyStepType,
} from '../../../../core/history/policy/schema';

export type StepDraft = PolicyInput['steps'][number];
export type StepOf<T extends PolicyStepType> = Extract<StepDraft, { type: T }>;

export const STEP_TYPES: ReadonlyArray<{ type: PolicyStepType; label: string; help: string }> = [
  {
    type: 'dropRepeats',
    label: 'Drop repeats',
    help: 'Leaves out messages and tool results that repeat earlier ones.',
  },
  {
    type: 'toolResults',
    label: 'Tool results',
    help: 'Truncates long tool results, or clears the results of older tool calls.',
  },
  { type: 'lastN', label: 'Last N', help: 'Keeps only the latest messages or turns.' },
  {
    type: 'tokenBudget',
    label: 'Token budget',
    help: 'Drops the oldest messages until the whole request fits the budget.',
  },
  {
    type: 'summarise',
    label: 'Summarise',
    help: 'Folds older messages into a summary written by a (cheap) model, keeping the latest verbatim.',
  },
];

export const stepLabel = (type: PolicyStepType) => STEP_TYPES.find((s) => s.type === type)?.label ?? type;

/** The summariser a new summarise step starts with: a cheap model of the catalog. */
export const PREFERRED_SUMMARISERS = ['claude-haiku-4-5', 'gpt-4o-mini', 'gpt-4.1-mini', 'gemini-2.5-flash'];

export function defaultSummariser(catalogIds: readonly string[]): string {
  return PREFERRED_SUMMARISERS.find((id) => catalogIds.includes(id)) ?? catalogIds[0] ?? 'claude-haiku-4-5';
}

/** A new step of `type`, every field filled with the schema's default (and a sensible value where none). */
export function newStep(type: PolicyStepType, catalogIds: readonly string[] = []): StepDraft {
  switch (type) {
    case 'dropRepeats':
      return DropRepeatsStepSchema.parse({ type });
    case 'toolResults':
      return ToolResultsStepSchema.parse({ type, truncate: { maxTokens: 500 } });
    case 'lastN':
      return LastNStepSchema.parse({ type, messages: 20 });
    case 'tokenBudget':
      return TokenBudgetStepSchema.parse({ type, maxTokens: 8000 });
    case 'summarise':
      return SummariseStepSchema.parse({
        type,
        model: defaultSummariser(catalogIds),
        trigger: { messages: 20 },
      });
  }
}

/** The defaults of a truncate or clear block, when the user ticks it on. */
export const defaultTruncate = () => ({ maxTokens: 500, marker: DEFAULT_TRUNCATION_MARKER });
export const defaultClear = () => ({
  keep: 3,
  placeholder: DEFAULT_CLEARED_PLACEHOLDER,
  excludeTools: [] as string[],
});

export { DEFAULT_SUMMARY_PROMPT };

const n = (v: number | undefined) => (v === undefined ? '?' : new Intl.NumberFormat('en-US').format(v));

/** "Summarise with claude-haiku-4-5 at 20 messages, keep the last 6". */
export function stepSummary(step: StepDraft): string {
  switch (step.type) {
    case 'dropRepeats':
      return `Drop repeated messages of ${n(step.minTokens ?? 20)}+ tokens${step.results === false ? '' : ' and repeated tool results'}`;
    case 'toolResults': {
      const parts: string[] = [];
      if (step.truncate) parts.push(`truncate results over ${n(step.truncate.maxTokens)} tokens`);
      if (step.clear) parts.push(`clear all but the last ${n(step.clear.keep)} results`);
      const text = parts.join(', ') || 'nothing chosen';
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
    case 'lastN':
      return step.turns !== undefined
        ? `Keep the last ${n(step.turns)} turns${step.keepFirstUser ? ' and the first user message' : ''}`
        : `Keep the last ${n(step.messages)} messages${step.keepFirstUser ? ' and the first user message' : ''}`;
    case 'tokenBudget':
      return `Fit the request in ${n(step.maxTokens)} tokens${step.keepFirstUser ? ', keeping the first user message' : ''}`;
    case 'summarise': {
      const t = step.trigger ?? {};
      const when = [
        t.messages !== undefined ? `${n(t.messages)} messages` : null,
        t.tokens !== undefined ? `${n(t.tokens)} tokens` : null,
        t.contextFraction !== undefined ? `${Math.round(t.contextFraction * 100)}% of the context` : null,
      ]
        .filter(Boolean)
        .join(' or ');
      return `Summarise with ${step.model || '?'} at ${when || '?'}, keep the last ${n(step.keepLast ?? 6)}`;
    }
  }
}

/** A problem with one field of the policy: `steps[1].maxTokens`, and what is wrong with it. */
export interface PolicyIssue {
  field: string;
  message: string;
}

export type PolicyCheck =
  | { ok: true; policy: Policy }
  | {
      ok: false;
      issues: PolicyIssue[];
      /** The first issue as the backend words it: `policy: steps[1].maxTokens: Too small: …`. */
      message: string;
    };

/** Checks the draft against the policy schema (the backend runs the same schema again). */
export function checkPolicy(draft: PolicyInput, fileName = 'policy'): PolicyCheck {
  const parsed = PolicySchema.safeParse(draft);
  if (parsed.success) return { ok: true, policy: parsed.data };
  const issues = parsed.error.issues.map((issue): PolicyIssue => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys')
      return { field: fieldName([...path, issue.keys[0]!]), message: `unknown field "${issue.keys[0]}"` };
    const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
    return { field: fieldName(path), message: missing ? 'is required' : issue.message };
  });
  const first = issues[0]!;
  return {
    ok: false,
    issues,
    message: `${fileName}: ${first.field ? `${first.field}: ` : ''}${first.message}`,
  };
}

/** The issues of step `index`, keyed by the field inside the step (`maxTokens`, `trigger`, `` for the step). */
export function stepIssues(issues: readonly PolicyIssue[], index: number): Map<string, string> {
  const prefix = `steps[${index}]`;
  const out = new Map<string, string>();
  for (const i of issues) {
    if (i.field !== prefix && !i.field.startsWith(`${prefix}.`)) continue;
    const rest = i.field.slice(prefix.length).replace(/^\./, '');
    if (!out.has(rest)) out.set(rest, i.message);
  }
  return out;
}

/** The step index a backend error's field names (`steps[2].trigger` → 2), if any. */
export function stepOfField(field: unknown): number | null {
  if (typeof field !== 'string') return null;
  const m = /^steps\[(\d+)\]/.exec(field);
  return m ? Number(m[1]) : null;
}

/** A new, empty policy. */
export function emptyPolicy(): PolicyInput {
  return { version: 1, name: 'New policy', steps: [] };
}

/** True for a name the backend saves a policy under. */
export function isPolicyPath(path: string): boolean {
  return /\.policy\.(json|ya?ml)$/i.test(path);
}
