import { z } from 'zod';

/**
 * History policies (docs/formats/history-policy.md): what an app sends of a long conversation. A policy is
 * an ordered list of steps; each takes the request the previous one left (system prompt + messages) and
 * returns a smaller one. Objects are strict, so a misspelt option is an error naming its line, never a
 * silently ignored setting.
 */

const count = z.number().int().min(1);

/** The instruction the summariser model gets; `{maxTokens}` is replaced by the step's `maxSummaryTokens`. */
export const DEFAULT_SUMMARY_PROMPT = `You summarise the earlier part of a conversation between a user and an assistant (with the tools it called), so that the assistant can carry on without the full transcript.
Keep every fact the assistant still needs: names, ids, numbers, dates, amounts, what the user asked for, what was confirmed or refused, tool results that matter, and what is left to do.
When a previous summary is given, merge it with the new messages into one summary. Write plain text of at most {maxTokens} tokens, with no preamble.`;

export const DEFAULT_CLEARED_PLACEHOLDER = '[tool result cleared to save context]';
/** `{tokens}` is replaced by the number of tokens left out. */
export const DEFAULT_TRUNCATION_MARKER = '\n[… {tokens} tokens truncated …]\n';
/** `{tool}` is replaced by the tool's name. */
export const DEFAULT_REPEAT_PLACEHOLDER = '[identical to an earlier {tool} result]';

const enabled = z.boolean().default(true);

export const DropRepeatsStepSchema = z.strictObject({
  type: z.literal('dropRepeats'),
  enabled,
  /** Units (a message, or a tool call with its results) shorter than this are never dropped ("yes", "ok"). */
  minTokens: z.number().int().min(0).default(20),
  /** Also replace a tool result that repeats an earlier result by a short placeholder. */
  results: z.boolean().default(true),
  resultPlaceholder: z.string().default(DEFAULT_REPEAT_PLACEHOLDER),
});

export const ToolResultsStepSchema = z
  .strictObject({
    type: z.literal('toolResults'),
    enabled,
    /** Results longer than `maxTokens` keep their head and tail (about half each) around a marker. */
    truncate: z
      .strictObject({ maxTokens: count, marker: z.string().default(DEFAULT_TRUNCATION_MARKER) })
      .optional(),
    /** Results of all but the last `keep` tool uses are replaced by a placeholder (Anthropic's context editing). */
    clear: z
      .strictObject({
        keep: z.number().int().min(0),
        placeholder: z.string().default(DEFAULT_CLEARED_PLACEHOLDER),
        /** Tools whose results are never cleared (and do not count towards `keep`). */
        excludeTools: z.array(z.string()).default([]),
      })
      .optional(),
  })
  .refine((s) => s.truncate !== undefined || s.clear !== undefined, {
    message: 'needs `truncate`, `clear` or both',
  });

export const LastNStepSchema = z
  .strictObject({
    type: z.literal('lastN'),
    enabled,
    /** Keep at most this many of the latest messages (fewer when a tool call would be cut from its result). */
    messages: count.optional(),
    /** Keep the latest this many turns (a turn starts at a user message). */
    turns: count.optional(),
    /** Keep the first user message too (it often states the task). */
    keepFirstUser: z.boolean().default(false),
  })
  .refine((s) => (s.messages === undefined) !== (s.turns === undefined), {
    message: 'needs exactly one of `messages` and `turns`',
  });

export const TokenBudgetStepSchema = z.strictObject({
  type: z.literal('tokenBudget'),
  enabled,
  /** The whole request's input tokens (system, tools, messages, framing) must fit in this. */
  maxTokens: count,
  keepFirstUser: z.boolean().default(false),
});

export const SummaryTriggerSchema = z
  .strictObject({
    /** Summarise when the request reaches this many input tokens. */
    tokens: count.optional(),
    /** … or this many messages. */
    messages: count.optional(),
    /** … or this share of the target model's context window. */
    contextFraction: z.number().gt(0).max(1).optional(),
  })
  .refine((t) => t.tokens !== undefined || t.messages !== undefined || t.contextFraction !== undefined, {
    message: 'needs `tokens`, `messages` or `contextFraction`',
  });

export const SummariseStepSchema = z.strictObject({
  type: z.literal('summarise'),
  enabled,
  /** The (cheap) model that writes summaries: a catalog id or `provider:model`. */
  model: z.string().min(1),
  trigger: SummaryTriggerSchema,
  /** The latest messages kept verbatim (more when a tool call would be cut from its result). */
  keepLast: z.number().int().min(0).default(6),
  prompt: z.string().min(1).default(DEFAULT_SUMMARY_PROMPT),
  maxSummaryTokens: count.default(1024),
  /** Where the summary goes: a user message before the kept messages, or the end of the system prompt. */
  placement: z.enum(['message', 'system']).default('message'),
});

const STEP_TYPES = ['dropRepeats', 'toolResults', 'lastN', 'tokenBudget', 'summarise'] as const;

export const PolicyStepSchema = z.discriminatedUnion(
  'type',
  [DropRepeatsStepSchema, ToolResultsStepSchema, LastNStepSchema, TokenBudgetStepSchema, SummariseStepSchema],
  { error: `must have a \`type\` of ${STEP_TYPES.join(', ')}` },
);

/** A `.policy.json` / `.policy.yaml` file. */
export const PolicySchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  name: z.string().optional(),
  description: z.string().optional(),
  steps: z.array(PolicyStepSchema, { error: 'must be a list of steps' }),
});

/** A policy as written (defaults may be left out). */
export type PolicyInput = z.input<typeof PolicySchema>;
/** A policy with every default filled: what the engine runs. */
export type Policy = z.output<typeof PolicySchema>;
export type PolicyStep = Policy['steps'][number];
export type PolicyStepType = PolicyStep['type'];
export type DropRepeatsStep = z.output<typeof DropRepeatsStepSchema>;
export type ToolResultsStep = z.output<typeof ToolResultsStepSchema>;
export type LastNStep = z.output<typeof LastNStepSchema>;
export type TokenBudgetStep = z.output<typeof TokenBudgetStepSchema>;
export type SummariseStep = z.output<typeof SummariseStepSchema>;
export type SummaryTrigger = z.output<typeof SummaryTriggerSchema>;

/** The policy that changes nothing (the "original" side of a simulation). */
export const KEEP_ALL: Policy = { version: 1, name: 'Keep everything', steps: [] };
