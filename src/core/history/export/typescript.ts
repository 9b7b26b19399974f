import type { Policy, PolicyStep, PolicyStepType } from '../policy';
import { commentLines, planExport, policyHeader, tsString, type PlannedStep } from './plan';
import { TS_CORE, TS_SUMMARY_TYPES, TS_TYPES, type TsCorePiece, type TsPiece } from './typescriptRuntime';
import { TS_STEPS, type TsStepPiece } from './typescriptSteps';

type TsPieceName = TsCorePiece | TsStepPiece;
const TS_PIECES: Readonly<Record<TsPieceName, TsPiece<TsPieceName>>> = { ...TS_CORE, ...TS_STEPS };

export interface TypeScriptExportOptions {
  /** Where the policy came from (a file name), said in the module's header. */
  source?: string;
}

/** The step interfaces of the generated module, by step type. */
const STEP_TYPES: Record<PolicyStepType, string> = {
  dropRepeats:
    "interface DropRepeatsStep {\n  type: 'dropRepeats';\n  index: number;\n  minTokens: number;\n  results: boolean;\n  resultPlaceholder: string;\n}",
  toolResults:
    "interface ToolResultsStep {\n  type: 'toolResults';\n  index: number;\n  truncate: { maxTokens: number; marker: string } | null;\n  clear: { keep: number; placeholder: string; excludeTools: readonly string[] } | null;\n}",
  lastN:
    "interface LastNStep {\n  type: 'lastN';\n  index: number;\n  messages: number | null;\n  turns: number | null;\n  keepFirstUser: boolean;\n}",
  tokenBudget:
    "interface TokenBudgetStep {\n  type: 'tokenBudget';\n  index: number;\n  maxTokens: number;\n  keepFirstUser: boolean;\n}",
  summarise:
    "interface SummariseStep {\n  type: 'summarise';\n  index: number;\n  model: string;\n  trigger: { tokens: number | null; messages: number | null; contextFraction: number | null };\n  keepLast: number;\n  prompt: string;\n  maxSummaryTokens: number;\n  placement: 'message' | 'system';\n}",
};

const INTERFACE_NAME: Record<PolicyStepType, string> = {
  dropRepeats: 'DropRepeatsStep',
  toolResults: 'ToolResultsStep',
  lastN: 'LastNStep',
  tokenBudget: 'TokenBudgetStep',
  summarise: 'SummariseStep',
};

/** How the loop in applyPolicy runs each step type. */
const STEP_CALL: Record<PolicyStepType, string> = {
  dropRepeats: 'w = { system: w.system, messages: dropRepeats(w, step, ctx) };',
  toolResults: 'w = { system: w.system, messages: toolResults(w, step, ctx) };',
  lastN: 'w = { system: w.system, messages: lastN(w, step) };',
  tokenBudget: 'w = { system: w.system, messages: tokenBudget(w, step, ctx) };',
  summarise: 'w = await summarise(w, step, ctx);',
};

const n = (v: number | undefined) => (v === undefined ? 'null' : String(v));

/** A step as a TypeScript object literal. */
function stepLiteral({ index, step }: PlannedStep): string {
  const s = (v: string) => tsString(v);
  const sep = ',\n    ';
  const body = (step: PolicyStep): string => {
    switch (step.type) {
      case 'dropRepeats':
        return [
          `minTokens: ${step.minTokens}`,
          `results: ${step.results}`,
          `resultPlaceholder: ${s(step.resultPlaceholder)}`,
        ].join(sep);
      case 'toolResults': {
        const t = step.truncate;
        const c = step.clear;
        return [
          `truncate: ${t ? `{ maxTokens: ${t.maxTokens}, marker: ${s(t.marker)} }` : 'null'}`,
          `clear: ${
            c
              ? `{ keep: ${c.keep}, placeholder: ${s(c.placeholder)}, excludeTools: [${c.excludeTools.map(s).join(', ')}] }`
              : 'null'
          }`,
        ].join(sep);
      }
      case 'lastN':
        return [
          `messages: ${n(step.messages)}`,
          `turns: ${n(step.turns)}`,
          `keepFirstUser: ${step.keepFirstUser}`,
        ].join(sep);
      case 'tokenBudget':
        return [`maxTokens: ${step.maxTokens}`, `keepFirstUser: ${step.keepFirstUser}`].join(sep);
      case 'summarise': {
        const t = step.trigger;
        return [
          `model: ${s(step.model)}`,
          `trigger: { tokens: ${n(t.tokens)}, messages: ${n(t.messages)}, contextFraction: ${n(t.contextFraction)} }`,
          `keepLast: ${step.keepLast}`,
          `prompt: ${s(step.prompt)}`,
          `maxSummaryTokens: ${step.maxSummaryTokens}`,
          `placement: ${s(step.placement)}`,
        ].join(sep);
      }
    }
  };
  return `  {\n    type: ${s(step.type)},\n    index: ${index},\n    ${body(step)},\n  },`;
}

/** The pieces `roots` need, in the order TS_PIECES lists them. */
function pieces(roots: readonly TsPieceName[]): string[] {
  const wanted = new Set<TsPieceName>();
  const visit = (name: TsPieceName) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    TS_PIECES[name].needs.forEach(visit);
  };
  roots.forEach(visit);
  return (Object.keys(TS_PIECES) as TsPieceName[])
    .filter((k) => wanted.has(k))
    .map((k) => TS_PIECES[k].code.trim());
}

const usage = (summarises: boolean): string[] => [
  'It works on the messages of an OpenAI Chat Completions request (system/developer messages, then user,',
  'assistant with tool_calls, and tool messages) and returns the messages to send: the system prompt first,',
  'unchanged messages as the same objects, and new objects for what the policy rewrote. It keeps every tool',
  'call with its results and never starts with a tool result. Legacy function_call/function messages and',
  'non-function tool calls are not read; convert them first.',
  '',
  'Token counts follow PromptPress: OpenAI\u2019s chat framing (3 per message, the role, 1 per name, 3 to prime',
  'the reply) around countTokens(text) of each text, tool call (name and compact-JSON arguments) and tool',
  'call id. Pass the target model\u2019s tokenizer as countTokens (gpt-tokenizer\u2019s countTokens, or',
  'js-tiktoken\u2019s encode(text).length) for exact budgets; without one, estimateTokens (UTF-8 bytes / 4) is',
  'used and every budget is an estimate.',
  ...(summarises
    ? [
        '',
        'Summaries come from options.summarise, your call to the summariser model: send request.system as its',
        'system prompt and request.user as the user message, and return the text. Keep one',
        'createPolicyState() per conversation and pass it as options.state on every turn, so a summary is',
        'made once and rolled forward; without a state every call summarises afresh.',
      ]
    : []),
  '',
  'Usage:',
  summarises
    ? '  const state = createPolicyState(); // one per conversation'
    : '  import { encode } from "gpt-tokenizer";',
  summarises
    ? '  const messages = await applyPolicy(history, { countTokens, summarise: mySummariser, state });'
    : '  const messages = applyPolicy(history, { countTokens: (t) => encode(t).length });',
];

/**
 * The policy as a self-contained TypeScript module (no imports) exporting `applyPolicy(messages, options)`
 * over OpenAI chat messages: the engine's algorithm for OpenAI's request rules, with the policy's settings
 * written in. Given the same per-text counter (and summaries), it returns the messages the engine's result
 * exports to (test/core/history/export checks this on the tau-bench corpus). With a summarise step the
 * function is async and takes `summarise` and `state` options.
 */
export function policyToTypeScript(policy: Policy, options: TypeScriptExportOptions = {}): string {
  const plan = planExport(policy);
  const summarises = plan.types.has('summarise');
  const types = [...plan.types];
  // lastN alone counts nothing: no context then (strict projects refuse unused declarations)
  const usesContext = types.some((t) => t !== 'lastN');
  const header = [
    ...policyHeader(plan),
    ...(options.source ? [`Source: ${options.source}`] : []),
    '',
    ...usage(summarises),
  ].flatMap((l) => l.split('\n'));
  const comment = `/**\n${commentLines(
    header.map((l) => l.replaceAll('*/', '* /')),
    ' * ',
  )}\n */`;

  const optionsDoc = [
    'export interface ApplyPolicyOptions {',
    '  /** Tokens of a text under the target model\u2019s encoding (default estimateTokens, an estimate). */',
    '  countTokens?: (text: string) => number;',
    '  /** Tokens of the tool definitions sent with every request, counted by you (default 0). */',
    '  toolTokens?: number;',
    ...(summarises
      ? [
          '  /** The target model\u2019s context window (needed when a summary triggers at a share of it). */',
          '  contextWindow?: number;',
          '  /** Writes a summary with the summariser model: the text, or a promise of it. */',
          '  summarise?: (request: SummaryRequest) => string | Promise<string>;',
          '  /** The conversation\u2019s state (createPolicyState()), the same object on every turn. */',
          '  state?: PolicyState;',
        ]
      : []),
    '}',
  ].join('\n');

  const context = [
    'interface Context {',
    '  count: (text: string) => number;',
    '  toolTokens: number;',
    '  /** Each message\u2019s tokens, counted once per call. */',
    '  tokens: Map<ChatMessage, number>;',
    ...(summarises
      ? [
          '  contextWindow: number | undefined;',
          '  summarise: ApplyPolicyOptions["summarise"];',
          '  state: PolicyState;',
        ]
      : []),
    '}',
  ].join('\n');

  const stepUnion = types.length
    ? `type Step = ${types.map((t) => INTERFACE_NAME[t]).join(' | ')};`
    : undefined;
  const stepsConst = types.length
    ? `/** The policy's enabled steps, in order (index: the step's place in the policy). */\nconst STEPS: readonly Step[] = [\n${plan.steps
        .map(stepLiteral)
        .join('\n')}\n];`
    : undefined;

  const loop = types.length
    ? [
        '  for (const step of STEPS) {',
        '    switch (step.type) {',
        ...types.flatMap((t) => [`      case '${t}':`, `        ${STEP_CALL[t]}`, '        break;']),
        '    }',
        '  }',
      ]
    : [];
  const apply = [
    '/**',
    ' * Applies the policy to a request\u2019s messages (system prompt and history so far) and returns the',
    ' * messages to send.',
    ' */',
    `export ${summarises ? 'async ' : ''}function applyPolicy<M extends ChatMessage>(`,
    '  messages: readonly M[],',
    `  ${usesContext ? 'options' : '_options'}: ApplyPolicyOptions = {},`,
    `): ${summarises ? 'Promise<M[]>' : 'M[]'} {`,
    ...(usesContext
      ? [
          '  const ctx: Context = {',
          '    count: options.countTokens ?? estimateTokens,',
          '    toolTokens: options.toolTokens ?? 0,',
          '    tokens: new Map(),',
          ...(summarises
            ? [
                '    contextWindow: options.contextWindow,',
                '    summarise: options.summarise,',
                '    state: options.state ?? createPolicyState(),',
              ]
            : []),
          '  };',
        ]
      : []),
    '  const systemMessages = messages.filter(isSystem);',
    '  const original = systemMessages.length',
    "    ? systemMessages.map((m) => texts(m).join('\\n')).join('\\n\\n')",
    '    : undefined;',
    `  ${types.length ? 'let' : 'const'} w: Working = { system: original, messages: messages.filter((m) => !isSystem(m)) };`,
    ...loop,
    '  return output(systemMessages, original, w) as M[];',
    '}',
  ].join('\n');

  const roots: TsPieceName[] = ['estimateTokens', 'isSystem', 'texts', 'output', ...types];
  const parts = [
    comment,
    TS_TYPES.trim(),
    ...(summarises ? [TS_SUMMARY_TYPES.trim()] : []),
    optionsDoc,
    ...(usesContext ? [context] : []),
    ...types.map((t) => STEP_TYPES[t]),
    ...(stepUnion ? [stepUnion] : []),
    ...(stepsConst ? [stepsConst] : []),
    apply,
    ...pieces(roots),
  ];
  return `${parts.join('\n\n')}\n`;
}
