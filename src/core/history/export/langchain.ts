import type { LastNStep, Policy, TokenBudgetStep } from '../policy';
import { commentLines, describeStep, planExport, policyHeader, wrap, type PlannedStep } from './plan';

/** What LangChain's trim_messages can do of a policy. */
export interface LangChainExport {
  /** A Python module: `apply_policy(messages)` chaining one trim_messages call per step it can express. */
  code: string;
  /** Each step (or part of a step) trim_messages cannot express, and what to use instead. */
  unsupported: string[];
  /** Where an expressed step behaves differently from PromptPress's engine. */
  notes: string[];
}

const label = ({ index, step }: PlannedStep) => `step ${index + 1} (${step.type}: ${describeStep(step)})`;
const short = ({ index, step }: PlannedStep) => `step ${index + 1} (${step.type})`;

/** The trim_messages call for a window step, or undefined when the step is not a window. */
function trimCall(p: PlannedStep): { call: string; counter: 'messages' | 'turns' | 'request' } | undefined {
  const step = p.step;
  if (step.type !== 'lastN' && step.type !== 'tokenBudget') return undefined;
  const window = step as LastNStep | TokenBudgetStep;
  const turns = window.type === 'lastN' && window.turns !== undefined;
  const counter = window.type === 'tokenBudget' ? 'request' : turns ? 'turns' : 'messages';
  const max =
    window.type === 'tokenBudget' ? window.maxTokens : ((window.turns ?? window.messages) as number);
  const call = [
    `    # ${label(p)}`,
    '    messages = trim_messages(',
    '        messages,',
    `        max_tokens=${max},`,
    `        token_counter=${{ request: 'count_request', turns: 'count_turns', messages: 'count_messages' }[counter]},`,
    '        strategy="last",',
    '        include_system=True,',
    // a turn starts at a user message; otherwise OpenAI's rule: never start at a tool result
    `        start_on=${turns ? '"human"' : '["human", "ai"]'},`,
    '        allow_partial=False,',
    '    )',
  ].join('\n');
  return { call, counter };
}

const COUNTERS = {
  messages: [
    'def count_messages(messages: List[BaseMessage]) -> int:',
    '    """Messages after the system prompt (what lastN counts)."""',
    '    return sum(1 for m in messages if not isinstance(m, SystemMessage))',
  ],
  turns: [
    'def count_turns(messages: List[BaseMessage]) -> int:',
    '    """Turns: a turn starts at a user message."""',
    '    return sum(1 for m in messages if isinstance(m, HumanMessage))',
  ],
  request: [
    '# The target model\u2019s encoding: o200k_base is GPT-4o\u2019s; use your model\u2019s.',
    '_ENCODING = tiktoken.get_encoding("o200k_base")',
    'TOOL_TOKENS = 0  # tokens of the tool definitions you send with every request',
    '_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}',
    '',
    '',
    'def count_text(text: str) -> int:',
    '    return len(_ENCODING.encode(text, disallowed_special=()))',
    '',
    '',
    'def count_request(messages: List[BaseMessage]) -> int:',
    '    """Input tokens of a chat request as PromptPress counts them: 3 per message, the role, the text, the',
    '    name (+1), each tool call\u2019s name and compact-JSON arguments, the tool call id, 3 to prime the reply."""',
    '    n = 3 + TOOL_TOKENS',
    '    for m in messages:',
    '        n += 3 + count_text(_ROLES.get(m.type, m.type))',
    '        parts = [m.content] if isinstance(m.content, str) else m.content',
    '        texts = [p if isinstance(p, str) else p.get("text", "") for p in parts if isinstance(p, str) or p.get("type") == "text"]',
    '        if m.type == "tool":',
    '            n += count_text("\\n".join(texts)) + count_text(m.tool_call_id)',
    '        else:',
    '            n += sum(count_text(t) for t in texts)',
    '        if m.name is not None:',
    '            n += count_text(m.name) + 1',
    '        for call in getattr(m, "tool_calls", None) or []:',
    '            args = json.dumps(call["args"], separators=(",", ":"), ensure_ascii=False)',
    '            n += count_text(call["name"]) + count_text(args)',
    '    return n',
  ],
} as const;

/**
 * The policy as LangChain `trim_messages` calls (langchain_core.messages, Python), one per window step it
 * can express: lastN becomes a count of messages or turns, tokenBudget a count of the request's tokens
 * with PromptPress's framing, always strategy="last", include_system=True, allow_partial=False, and a start
 * that never leaves a tool result without its call. Everything else is listed in `unsupported`.
 */
export function policyToLangChain(policy: Policy): LangChainExport {
  const plan = planExport(policy);
  const unsupported: string[] = [];
  const notes: string[] = [];
  const calls: string[] = [];
  const counters = new Set<keyof typeof COUNTERS>();
  for (const p of plan.steps) {
    const { step } = p;
    const trim = trimCall(p);
    if (trim) {
      calls.push(trim.call);
      counters.add(trim.counter);
      if ((step.type === 'lastN' || step.type === 'tokenBudget') && step.keepFirstUser)
        unsupported.push(
          `${short(p)}, keepFirstUser: trim_messages keeps only a leading SystemMessage (include_system); the first user message is trimmed like any other.`,
        );
      continue;
    }
    switch (step.type) {
      case 'dropRepeats':
        unsupported.push(
          `${short(p)}: trim_messages only cuts the oldest messages; it cannot drop a repeated message or tool call in the middle of the history, nor replace a repeated tool result by a placeholder.`,
        );
        break;
      case 'toolResults':
        if (step.truncate)
          unsupported.push(
            `${short(p)}, truncating tool results: trim_messages never shortens a kept message (allow_partial only splits the oldest message at the window\u2019s edge); shorten results where your tools return them.`,
          );
        if (step.clear)
          unsupported.push(
            `${short(p)}, clearing old tool results: trim_messages cannot replace a result by a placeholder; LangChain\u2019s agent middleware ContextEditingMiddleware with ClearToolUsesEdit (langchain v1) or Anthropic\u2019s context editing (the Anthropic export) can.`,
          );
        break;
      case 'summarise':
        unsupported.push(
          `${short(p)}: trim_messages does not summarise; LangChain\u2019s SummarizationMiddleware (langchain v1 agents) does, with its own prompt and trigger.`,
        );
        break;
    }
  }
  if (counters.has('request'))
    notes.push(
      'count_request mirrors PromptPress\u2019s count with tiktoken; set TOOL_TOKENS to your tool definitions\u2019 tokens. Arguments are re-serialised with Python\u2019s json.dumps, which writes some numbers (1.0) and key orders differently from JavaScript, and invalid_tool_calls are not counted.',
      'When even the latest message does not fit the budget, trim_messages returns the system message alone; PromptPress keeps the smallest valid window (and reports it over budget).',
    );
  if (calls.length)
    notes.push(
      'include_system keeps a SystemMessage only at index 0: merge several system messages into one first.',
      'start_on=["human", "ai"] follows OpenAI\u2019s rule (a request never starts with a tool result); Anthropic models need start_on="human".',
      ...(counters.has('turns')
        ? [
            'A turn window drops messages before the first user message even when the history has fewer turns than asked (PromptPress keeps them).',
          ]
        : []),
    );
  const expressed = plan.steps.filter((p) => trimCall(p)).map((p) => `step ${p.index + 1} (${p.step.type})`);
  const header = [
    ...policyHeader(plan).map((l) =>
      l.replace(
        ', generated by PromptPress.',
        ' as LangChain trim_messages calls, generated by PromptPress.',
      ),
    ),
    '',
    expressed.length
      ? `trim_messages expresses ${expressed.join(', ')}; apply_policy applies them in order.`
      : 'trim_messages expresses none of these steps: apply_policy returns the messages as they are.',
    ...(unsupported.length
      ? [
          'Not expressed:',
          ...unsupported.flatMap((u) => wrap(u, 100).map((l, i) => `${i ? '    ' : '  - '}${l}`)),
        ]
      : []),
    ...(notes.length
      ? [
          '',
          'Differences:',
          ...notes.flatMap((u) => wrap(u, 100).map((l, i) => `${i ? '    ' : '  - '}${l}`)),
        ]
      : []),
  ];
  const uses = [...counters];
  const imports = [
    ...(counters.has('request') ? ['import json'] : []),
    'from typing import List',
    '',
    ...(counters.has('request') ? ['import tiktoken'] : []),
    `from langchain_core.messages import ${[
      'BaseMessage',
      ...(counters.has('turns') ? ['HumanMessage'] : []),
      ...(counters.has('messages') ? ['SystemMessage'] : []),
      ...(calls.length ? ['trim_messages'] : []),
    ].join(', ')}`,
  ];
  const apply = [
    'def apply_policy(messages: List[BaseMessage]) -> List[BaseMessage]:',
    '    """Applies the steps of the policy that trim_messages can express, in order."""',
    ...(calls.length ? calls : []),
    '    return messages',
  ];
  const code = [
    commentLines(header, '# '),
    imports.join('\n'),
    ...uses.map((u) => COUNTERS[u].join('\n')),
    apply.join('\n'),
  ].join('\n\n\n');
  return { code: `${code}\n`, unsupported, notes };
}
