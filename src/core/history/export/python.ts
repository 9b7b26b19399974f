import type { Policy, PolicyStep, PolicyStepType } from '../policy';
import { commentLines, planExport, policyHeader, pyLiteral, type PlannedStep } from './plan';
import { PY_CORE } from './pythonRuntime';
import { PY_STEPS } from './pythonSteps';

export interface PythonExportOptions {
  /** Where the policy came from (a file name), said in the module's header. */
  source?: string;
}

const FUNCTION: Record<PolicyStepType, string> = {
  dropRepeats: '_drop_repeats',
  toolResults: '_tool_results',
  lastN: '_last_n',
  tokenBudget: '_token_budget',
  summarise: '_summarise',
};

const orNull = (v: number | undefined) => v ?? null;

/** A step's settings as the generated code reads them (snake_case keys, None for unset). */
function stepData(step: PolicyStep): Record<string, unknown> {
  switch (step.type) {
    case 'dropRepeats':
      return {
        min_tokens: step.minTokens,
        results: step.results,
        result_placeholder: step.resultPlaceholder,
      };
    case 'toolResults':
      return {
        truncate: step.truncate
          ? { max_tokens: step.truncate.maxTokens, marker: step.truncate.marker }
          : null,
        clear: step.clear
          ? {
              keep: step.clear.keep,
              placeholder: step.clear.placeholder,
              exclude_tools: step.clear.excludeTools,
            }
          : null,
      };
    case 'lastN':
      return {
        messages: orNull(step.messages),
        turns: orNull(step.turns),
        keep_first_user: step.keepFirstUser,
      };
    case 'tokenBudget':
      return { max_tokens: step.maxTokens, keep_first_user: step.keepFirstUser };
    case 'summarise':
      return {
        model: step.model,
        trigger: {
          tokens: orNull(step.trigger.tokens),
          messages: orNull(step.trigger.messages),
          context_fraction: orNull(step.trigger.contextFraction),
        },
        keep_last: step.keepLast,
        prompt: step.prompt,
        max_summary_tokens: step.maxSummaryTokens,
        placement: step.placement,
      };
  }
}

function stepLiteral({ index, step }: PlannedStep): string {
  const fields = Object.entries({ type: step.type, index, ...stepData(step) });
  return `    {\n${fields.map(([k, v]) => `        ${pyLiteral(k)}: ${pyLiteral(v)},`).join('\n')}\n    },`;
}

const usage = (summarises: boolean): string[] => [
  'It works on the messages of an OpenAI Chat Completions request (dicts: system/developer messages, then',
  'user, assistant with tool_calls, and tool messages) and returns the messages to send: the system prompt',
  'first, unchanged messages as the same objects, and new dicts for what the policy rewrote. It keeps every',
  'tool call with its results and never starts with a tool result. Legacy function_call/function messages',
  'and non-function tool calls are not read; convert them first. Python 3.7+, standard library only.',
  '',
  "Token counts follow PromptPress: OpenAI's chat framing (3 per message, the role, 1 per name, 3 to prime",
  'the reply) around count_tokens(text) of each text, tool call (name and compact-JSON arguments, written',
  "as JavaScript's JSON.stringify writes them) and tool call id. Pass the target model's tokenizer as",
  'count_tokens (tiktoken: lambda t: len(enc.encode(t, disallowed_special=()))) for exact budgets; without',
  'one, estimate_tokens (UTF-8 bytes / 4) is used and every budget is an estimate.',
  ...(summarises
    ? [
        '',
        'Summaries come from summarise(request), your call to the summariser model: send request["system"] as',
        'its system prompt and request["user"] as the user message, and return the text. Keep one',
        'create_policy_state() per conversation and pass it as state= on every turn, so a summary is made once',
        'and rolled forward; without a state every call summarises afresh.',
      ]
    : []),
  '',
  'Usage:',
  '    import tiktoken',
  '    enc = tiktoken.get_encoding("o200k_base")',
  summarises
    ? '    state = create_policy_state()  # one per conversation'
    : '    count = lambda t: len(enc.encode(t, disallowed_special=()))',
  summarises
    ? '    messages = apply_policy(history, lambda t: len(enc.encode(t, disallowed_special=())), my_summariser, state=state)'
    : '    messages = apply_policy(history, count)',
];

/**
 * The policy as a dependency-free Python 3 module (standard library only) exporting
 * `apply_policy(messages, count_tokens=None, summarise=None, *, tool_tokens=0, context_window=None, state=None)`
 * over OpenAI chat messages (dicts): the engine's algorithm for OpenAI's request rules, written so that it
 * computes what the engine computes (JavaScript's JSON and UTF-16 rules), with the policy's settings written in.
 */
export function policyToPython(policy: Policy, options: PythonExportOptions = {}): string {
  const plan = planExport(policy);
  const summarises = plan.types.has('summarise');
  const header = [
    ...policyHeader(plan),
    ...(options.source ? [`Source: ${options.source}`] : []),
    '',
    ...usage(summarises),
  ].flatMap((l) => l.split('\n'));

  const dispatch = [...plan.types].map((t, k) => {
    const call =
      t === 'summarise'
        ? `system, msgs = ${FUNCTION[t]}(system, msgs, step, ctx)`
        : `msgs = ${FUNCTION[t]}(system, msgs, step, ctx)`;
    return `        ${k === 0 ? 'if' : 'elif'} kind == ${pyLiteral(t)}:\n            ${call}`;
  });
  const loop = dispatch.length ? ['    for step in STEPS:', '        kind = step["type"]', ...dispatch] : [];

  const apply = [
    'def apply_policy(',
    '    messages: List[Message],',
    '    count_tokens: Optional[Callable[[str], int]] = None,',
    '    summarise: Optional[Callable[[Dict[str, Any]], str]] = None,',
    '    *,',
    '    tool_tokens: int = 0,',
    '    context_window: Optional[int] = None,',
    '    state: Optional[Dict[int, Any]] = None,',
    ') -> List[Message]:',
    '    """Applies the policy to a request\'s messages (system prompt and history so far) and returns the',
    "    messages to send. count_tokens: tokens of a text under the target model's encoding (default",
    '    estimate_tokens, an estimate). summarise: writes a summary from a request dict (model, system, user,',
    '    max_output_tokens, messages, previous). tool_tokens: tokens of the tool definitions sent with every',
    "    request. context_window: the target model's context window (for a summary triggered at a share of",
    '    it). state: the conversation\'s state (create_policy_state()), the same object on every turn."""',
    '    ctx = _Context(count_tokens, tool_tokens, context_window, summarise, {} if state is None else state)',
    '    system_messages = [m for m in messages if _is_system(m)]',
    '    original = "\\n\\n".join("\\n".join(_texts(m)) for m in system_messages) if system_messages else None',
    '    system = original',
    '    msgs = [m for m in messages if not _is_system(m)]',
    ...loop,
    '    return _output(system_messages, original, system, msgs)',
  ].join('\n');

  const parts = [
    commentLines(header, '# '),
    [
      'from __future__ import annotations',
      '',
      'import json',
      'import re',
      'from decimal import Decimal',
      'from typing import Any, Callable, Dict, List, Optional, Tuple',
    ].join('\n'),
    `# The policy's enabled steps, in order (index: the step's place in the policy).\nSTEPS: List[Dict[str, Any]] = [\n${plan.steps
      .map(stepLiteral)
      .join('\n')}\n]`,
    apply,
    ...(summarises
      ? [
          [
            'def create_policy_state() -> Dict[int, Any]:',
            '    """A new state: keep one per conversation and pass it on every turn, so a summary is made once',
            '    and rolled forward."""',
            '    return {}',
          ].join('\n'),
        ]
      : []),
    PY_CORE.trim(),
    ...[...plan.types].map((t) => PY_STEPS[t].trim()),
  ];
  return `${parts.join('\n\n\n')}\n`;
}
