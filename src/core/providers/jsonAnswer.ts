import { AppError } from '../errors';
import { jsonErrorOffset, lineColumn } from '../json';

/** A JSON answer, whether the model wrapped it in a Markdown fence (Anthropic, asked in words) or not. */
const FENCED = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i;

/**
 * Parses a model's answer to a request for JSON. Fails with PARSE_ERROR, saying where the JSON breaks and
 * whether the answer was cut at the output limit (the usual cause), with `extra` (the call's usage and cost,
 * which were paid whatever the outcome) in the details.
 */
export function parseJsonAnswer(
  text: string,
  who: string,
  options: { truncated?: boolean; extra?: Record<string, unknown> } = {},
): unknown {
  const body = FENCED.exec(text)?.[1] ?? text;
  try {
    return JSON.parse(body);
  } catch {
    const offset = Math.max(0, jsonErrorOffset(body));
    const { line, column } = lineColumn(body, offset);
    const why = options.truncated
      ? 'it was cut at the output limit; raise the output limit'
      : body.trim() === ''
        ? 'it was empty; make the prompt ask for JSON and try again'
        : 'make the prompt ask for JSON only, or use a JSON schema, and try again';
    throw new AppError(
      'PARSE_ERROR',
      `${who} was asked for JSON but its answer is not valid JSON (line ${line}, column ${column}): ${why}.`,
      { line, column, excerpt: body.slice(Math.max(0, offset - 40), offset + 40), ...options.extra },
    );
  }
}
