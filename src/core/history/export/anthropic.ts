import type { Policy } from '../policy';
import { DEFAULT_CLEARED_PLACEHOLDER } from '../policy';
import { planExport, type PlannedStep } from './plan';

/**
 * Anthropic's context editing (Messages API, beta): the server clears old tool results before the model
 * reads the request. Field names as in the API reference (BetaClearToolUses20250919Edit): `trigger` is
 * `{type: 'input_tokens' | 'tool_uses', value}`, `keep` `{type: 'tool_uses', value}`, `clear_at_least`
 * `{type: 'input_tokens', value}`, `exclude_tools` a list of tool names, `clear_tool_inputs` a boolean or a
 * list of tool names.
 */
export const CONTEXT_MANAGEMENT_BETA = 'context-management-2025-06-27';

export interface ClearToolUsesEdit {
  type: 'clear_tool_uses_20250919';
  trigger: { type: 'input_tokens' | 'tool_uses'; value: number };
  keep: { type: 'tool_uses'; value: number };
  clear_at_least?: { type: 'input_tokens'; value: number };
  exclude_tools?: string[];
  clear_tool_inputs: boolean;
}

/** The `context_management` field of a Messages API request. */
export interface AnthropicContextManagement {
  edits: ClearToolUsesEdit[];
}

export interface AnthropicExport {
  /** The request's `context_management` field, or null when no step can be expressed. */
  config: AnthropicContextManagement | null;
  /** The `anthropic-beta` header values the request needs (none when config is null). */
  betas: string[];
  /** Each step (or part of a step) context editing cannot express, and what to use instead. */
  unsupported: string[];
  /** Where the expressed step behaves differently from PromptPress's engine. */
  notes: string[];
}

const label = ({ index, step }: PlannedStep) => `step ${index + 1} (${step.type})`;

const WINDOW =
  'context editing never drops messages (it only clears tool results and thinking blocks); keep this step on the client, with the generated TypeScript or Python.';

/**
 * The policy as Anthropic context editing: its first toolResults step with `clear` becomes one
 * `clear_tool_uses_20250919` edit (keep the last N tool uses, exclude the same tools, never clear inputs,
 * triggered as soon as there is a use to clear). Everything else is listed in `unsupported`.
 */
export function policyToAnthropicContextManagement(policy: Policy): AnthropicExport {
  const plan = planExport(policy);
  const edits: ClearToolUsesEdit[] = [];
  const unsupported: string[] = [];
  const notes: string[] = [];
  for (const [k, p] of plan.steps.entries()) {
    const { step } = p;
    switch (step.type) {
      case 'toolResults': {
        if (step.truncate)
          unsupported.push(
            `${label(p)}, truncating tool results: context editing clears whole results or keeps them; it never shortens one. Shorten results where your tools return them, or keep this part on the client.`,
          );
        if (!step.clear) break;
        if (edits.length) {
          unsupported.push(
            `${label(p)}, clearing: a request takes one clear_tool_uses edit; the first clearing step is the one written.`,
          );
          break;
        }
        const { keep, excludeTools, placeholder } = step.clear;
        edits.push({
          type: 'clear_tool_uses_20250919',
          // the engine clears whenever a use is older than the last `keep`: trigger past `keep` uses
          trigger: { type: 'tool_uses', value: Math.max(1, keep) },
          keep: { type: 'tool_uses', value: keep },
          ...(excludeTools.length ? { exclude_tools: [...excludeTools] } : {}),
          clear_tool_inputs: false,
        });
        notes.push(
          `Anthropic replaces a cleared result by its own placeholder text; the policy\u2019s ${
            placeholder === DEFAULT_CLEARED_PLACEHOLDER ? 'default' : 'custom'
          } placeholder "${placeholder}" cannot be set.`,
          'Anthropic clears a result even when it is shorter than the placeholder (PromptPress keeps those).',
          'Clearing runs on Anthropic\u2019s side after every step your client applies, and is invisible to it: a token budget counted on the client counts the results uncleared.',
          'Each clearing changes the prompt prefix and so invalidates the prompt cache from there; consider clear_at_least ({"type": "input_tokens", "value": N}) so that a clearing is worth it (PromptPress has no equivalent).',
        );
        if (keep === 0)
          notes.push(
            'With keep 0 the trigger is 1 tool use (a trigger must exceed something): a single tool use is cleared only once a second one exists.',
          );
        if (plan.steps.slice(k + 1).some((s) => s.step.type !== 'toolResults'))
          notes.push(
            `Later steps (${plan.steps
              .slice(k + 1)
              .map(label)
              .join(', ')}) run on the client before the server clears, not after as in the policy.`,
          );
        break;
      }
      case 'dropRepeats':
        unsupported.push(
          `${label(p)}: context editing does not compare messages; repeated messages and tool results stay. Keep this step on the client.`,
        );
        break;
      case 'lastN':
      case 'tokenBudget':
        unsupported.push(`${label(p)}: ${WINDOW}`);
        break;
      case 'summarise':
        unsupported.push(
          `${label(p)}: context editing does not summarise. Anthropic\u2019s compaction (edit compact_20260112, beta compact-2026-01-12) comes closest but is not this step: the model you call writes the summary (not ${step.model}), with its own prompt (instructions can add to it), it replaces everything before the compaction block (no keepLast), its trigger is input tokens only (at least 50,000), and the summary comes back as a compaction block you must send again.`,
        );
        break;
    }
  }
  const config = edits.length ? { edits } : null;
  return { config, betas: config ? [CONTEXT_MANAGEMENT_BETA] : [], unsupported, notes };
}
