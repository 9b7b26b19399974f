import { writePolicyFile, type Policy } from '../policy';
import { policyToAnthropicContextManagement } from './anthropic';
import { policyToLangChain } from './langchain';
import { planExport } from './plan';
import { policyToPython } from './python';
import { policyToTypeScript } from './typescript';

export {
  policyToAnthropicContextManagement,
  CONTEXT_MANAGEMENT_BETA,
  type AnthropicContextManagement,
  type AnthropicExport,
  type ClearToolUsesEdit,
} from './anthropic';
export { policyToLangChain, type LangChainExport } from './langchain';
export { policyToPython, type PythonExportOptions } from './python';
export { policyToTypeScript, type TypeScriptExportOptions } from './typescript';
export { describeStep } from './plan';

/** The forms a policy is exported in (docs/formats/history-policy-export.md). */
export type PolicyExportTarget = 'json' | 'yaml' | 'ts' | 'py' | 'langchain' | 'anthropic';

export interface PolicyExportResult {
  text: string;
  /** What the reader should know: what the target cannot express, and how to use the file. */
  notes: string[];
}

export interface PolicyExporter {
  id: PolicyExportTarget;
  label: string;
  /** The file name's ending, without a leading dot (`policy.json`, `ts`). */
  extension: string;
  write(policy: Policy): PolicyExportResult;
}

const COUNTER_NOTE = {
  ts: 'Pass the target model\u2019s tokenizer as countTokens (gpt-tokenizer, js-tiktoken) for exact token budgets; without one, counts are estimates (UTF-8 bytes / 4).',
  py: 'Pass the target model\u2019s tokenizer as count_tokens (tiktoken) for exact token budgets; without one, counts are estimates (UTF-8 bytes / 4).',
};

/** Notes shared by the generated code: when it needs a counter, a summariser. */
function codeNotes(policy: Policy, lang: 'ts' | 'py'): string[] {
  const { steps } = planExport(policy);
  const counts = steps.some(
    ({ step }) =>
      step.type === 'tokenBudget' ||
      step.type === 'toolResults' ||
      (step.type === 'dropRepeats' && step.minTokens > 0) ||
      (step.type === 'summarise' &&
        (step.trigger.tokens !== undefined || step.trigger.contextFraction !== undefined)),
  );
  const summarises = steps.some(({ step }) => step.type === 'summarise');
  return [
    'Works on OpenAI chat messages (system/developer, user, assistant with tool_calls, tool), for OpenAI\u2019s request rules.',
    ...(counts ? [COUNTER_NOTE[lang]] : []),
    ...(summarises
      ? [
          lang === 'ts'
            ? 'Summaries come from your summarise callback (a call to the summariser model); keep one createPolicyState() per conversation. applyPolicy is async.'
            : 'Summaries come from your summarise callable (a call to the summariser model); keep one create_policy_state() per conversation.',
        ]
      : []),
  ];
}

/** The exporters, by target. */
export const POLICY_EXPORTERS: Readonly<Record<PolicyExportTarget, PolicyExporter>> = {
  json: {
    id: 'json',
    label: 'Policy file (JSON)',
    extension: 'policy.json',
    write: (policy) => ({
      text: writePolicyFile(policy, 'json'),
      notes: ['The schema is described in docs/formats/history-policy.md.'],
    }),
  },
  yaml: {
    id: 'yaml',
    label: 'Policy file (YAML)',
    extension: 'policy.yaml',
    write: (policy) => ({
      text: writePolicyFile(policy, 'yaml'),
      notes: ['The schema is described in docs/formats/history-policy.md.'],
    }),
  },
  ts: {
    id: 'ts',
    label: 'TypeScript function',
    extension: 'ts',
    write: (policy) => ({ text: policyToTypeScript(policy), notes: codeNotes(policy, 'ts') }),
  },
  py: {
    id: 'py',
    label: 'Python function',
    extension: 'py',
    write: (policy) => ({ text: policyToPython(policy), notes: codeNotes(policy, 'py') }),
  },
  langchain: {
    id: 'langchain',
    label: 'LangChain trim_messages',
    extension: 'py',
    write: (policy) => {
      const r = policyToLangChain(policy);
      return { text: r.code, notes: [...r.unsupported.map((u) => `Not expressed: ${u}`), ...r.notes] };
    },
  },
  anthropic: {
    id: 'anthropic',
    label: 'Anthropic context editing',
    extension: 'json',
    write: (policy) => {
      const r = policyToAnthropicContextManagement(policy);
      return {
        text: `${JSON.stringify(r.config ? { context_management: r.config } : {}, null, 2)}\n`,
        notes: [
          ...(r.config
            ? [`Send the context_management field with the header anthropic-beta: ${r.betas.join(',')}.`]
            : ['Context editing can express none of this policy\u2019s steps.']),
          ...r.unsupported.map((u) => `Not expressed: ${u}`),
          ...r.notes,
        ],
      };
    },
  },
};
