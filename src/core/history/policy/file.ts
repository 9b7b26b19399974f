import { dump } from 'js-yaml';
import { AppError } from '../../errors';
import { fromZod } from '../../golden/schema';
import { loadJson, loadYaml, type DataPath, type Located } from '../../golden/structured';
import { PolicySchema, type Policy, type PolicyStep } from './schema';

/** The file formats a policy is saved in. */
export type PolicyFileFormat = 'json' | 'yaml';

/** `yaml` for `.yaml`/`.yml`, `json` for `.json`, else guessed from the first character. */
export function policyFormatOf(fileName: string, text = ''): PolicyFileFormat {
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  if (/\.json$/i.test(fileName)) return 'json';
  return /^\s*[{[]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'yaml';
}

function fromLocated(loc: Located, fileName: string): Policy {
  const parsed = PolicySchema.safeParse(loc.data);
  if (!parsed.success)
    throw fromZod(parsed.error, (path: DataPath) => ({ file: fileName, line: loc.lineOf(path), path }));
  return parsed.data;
}

/**
 * Reads a `.policy.json` or `.policy.yaml` file. Syntax errors are PARSE_ERROR with line and column; a value
 * the schema refuses is INVALID_INPUT naming the file, the line and the field (`steps[1].maxTokens`), the
 * way golden sets report theirs.
 */
export function readPolicyFile(text: string, fileName: string): Policy {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '')
    throw new AppError('INVALID_INPUT', `${fileName}: the file is empty (a policy needs \`version: 1\`).`, {
      file: fileName,
    });
  const loc = policyFormatOf(fileName, body) === 'yaml' ? loadYaml(body, fileName) : loadJson(body, fileName);
  return fromLocated(loc, fileName);
}

/** Validates a policy given as data (from the UI or an API call), with defaults filled. */
export function parsePolicy(data: unknown, fileName = 'policy'): Policy {
  return fromLocated({ data, lineOf: () => undefined }, fileName);
}

/** A step's fields in a fixed order, `enabled` only when false. */
function writtenStep(s: PolicyStep): Record<string, unknown> {
  const head = { type: s.type, ...(s.enabled ? {} : { enabled: false }) };
  switch (s.type) {
    case 'dropRepeats':
      return { ...head, minTokens: s.minTokens, results: s.results, resultPlaceholder: s.resultPlaceholder };
    case 'toolResults':
      return {
        ...head,
        ...(s.truncate ? { truncate: { maxTokens: s.truncate.maxTokens, marker: s.truncate.marker } } : {}),
        ...(s.clear
          ? {
              clear: {
                keep: s.clear.keep,
                placeholder: s.clear.placeholder,
                excludeTools: [...s.clear.excludeTools],
              },
            }
          : {}),
      };
    case 'lastN':
      return {
        ...head,
        ...(s.messages !== undefined ? { messages: s.messages } : { turns: s.turns }),
        keepFirstUser: s.keepFirstUser,
      };
    case 'tokenBudget':
      return { ...head, maxTokens: s.maxTokens, keepFirstUser: s.keepFirstUser };
    case 'summarise': {
      const t = s.trigger;
      return {
        ...head,
        model: s.model,
        trigger: {
          ...(t.tokens !== undefined ? { tokens: t.tokens } : {}),
          ...(t.messages !== undefined ? { messages: t.messages } : {}),
          ...(t.contextFraction !== undefined ? { contextFraction: t.contextFraction } : {}),
        },
        keepLast: s.keepLast,
        maxSummaryTokens: s.maxSummaryTokens,
        placement: s.placement,
        prompt: s.prompt,
      };
    }
  }
}

/**
 * Writes a policy with every setting spelled out (defaults included, so the file alone says what it does),
 * keys in a fixed order: the same policy always gives the same bytes, and `readPolicyFile` reads it back
 * equal. YAML writes multi-line prompts as literal blocks.
 */
export function writePolicyFile(policy: Policy, format: PolicyFileFormat): string {
  const checked = parsePolicy(policy);
  const doc = {
    version: 1,
    ...(checked.name !== undefined ? { name: checked.name } : {}),
    ...(checked.description !== undefined ? { description: checked.description } : {}),
    steps: checked.steps.map(writtenStep),
  };
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  return dump(doc, { noRefs: true, lineWidth: -1, sortKeys: false });
}
