import { fromNative } from './build';
import { parseJsonl } from './native';
import { fieldName, invalid } from './schema';
import type { DataPath } from './structured';
import { escapeTemplate } from './template';
import type { GoldenSet } from './types';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when a JSON Lines record looks like an OpenAI Evals sample (`input` and `ideal`). */
export function isEvalsSample(v: unknown): boolean {
  return isObject(v) && 'input' in v && 'ideal' in v;
}

/**
 * OpenAI Evals samples (JSON Lines of `{"input": [messages] | "text", "ideal": "answer" | ["a", "b"]}`) as a
 * golden set. Each sample's messages become the case's input; the first ideal is its expected output, judged
 * like the Evals `Match` class: the answer starts with an ideal (any of them when there are several). Other
 * keys of a sample become variables.
 */
export function fromOpenAiEvals(text: string, file: string): GoldenSet {
  const records = parseJsonl(text, file);
  const cases = records.map(({ line, value }) => {
    const at = (field: string) => ({ file, line, field });
    if (!isObject(value)) throw invalid({ file, line }, 'a sample must be a JSON object');
    const { input, ideal, ...rest } = value;
    let messages: unknown;
    // Sample text is data, not a template: a "{{name}}" in it must reach the model as written.
    if (typeof input === 'string') messages = [{ role: 'user', content: escapeTemplate(input) }];
    else if (Array.isArray(input))
      messages = input.map((m, j) => {
        if (!isObject(m) || typeof m.content !== 'string')
          throw invalid(at(`input[${j}].content`), 'each message needs text content');
        return { role: m.role, content: escapeTemplate(m.content) };
      });
    else throw invalid(at('input'), 'is required: a prompt or a list of chat messages');
    const ideals = (Array.isArray(ideal) ? ideal : [ideal]).map((x) =>
      typeof x === 'number' || typeof x === 'boolean' ? String(x) : x,
    );
    if (ideals.length === 0 || !ideals.every((x): x is string => typeof x === 'string' && x !== ''))
      throw invalid(at('ideal'), 'is required: the answer, or a list of accepted answers');
    return {
      vars: rest,
      messages,
      expected: ideals[0],
      assert: [ideals.length > 1 ? { type: 'starts-with', value: ideals } : { type: 'starts-with' }],
    };
  });
  const toSource = (p: DataPath): string | undefined => {
    if (p[0] !== 'cases' || typeof p[1] !== 'number') return undefined;
    const rest = p.slice(2);
    if (rest[0] === 'messages') return fieldName(['input', ...rest.slice(1)]);
    if (rest[0] === 'expected' || rest[0] === 'assert') return 'ideal';
    return fieldName(rest);
  };
  return fromNative(
    { cases },
    {
      file,
      format: 'openai-evals',
      lineOf: (p) => (p[0] === 'cases' && typeof p[1] === 'number' ? records[p[1]]?.line : undefined),
      fieldOf: toSource,
    },
  );
}
