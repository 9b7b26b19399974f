import { z } from 'zod';
import { AppError } from '../errors';
import type { CountMethod } from './tokenizer';

/**
 * Whole-request counting: what a provider bills as input for a chat request, not just the concatenated text.
 * OpenAI's chat format adds 3 tokens per message (<|start|>role…<|message|>…<|end|>), 1 per `name`, and 3 to
 * prime the reply (OpenAI cookbook, "How to count tokens with tiktoken"); tool definitions follow the
 * cookbook's published approximation, so a request with tools is labelled an estimate.
 */
const TextPart = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const OtherPart = z.object({ type: z.string() }).passthrough();
const OpenAiMessage = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(z.union([TextPart, OtherPart])), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z
      .array(
        z.object({
          id: z.string(),
          type: z.literal('function'),
          function: z.object({ name: z.string(), arguments: z.string() }),
        }),
      )
      .optional(),
    tool_call_id: z.string().optional(),
  })
  .passthrough();
const JsonSchemaProp: z.ZodType<{ type?: unknown; description?: string; enum?: unknown[] }> = z
  .object({
    type: z.unknown().optional(),
    description: z.string().optional(),
    enum: z.array(z.unknown()).optional(),
  })
  .passthrough();
const OpenAiTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string(),
    description: z.string().optional(),
    parameters: z
      .object({ properties: z.record(z.string(), JsonSchemaProp).optional() })
      .passthrough()
      .optional(),
  }),
});
export const OpenAiChatRequestSchema = z.object({
  messages: z.array(OpenAiMessage).min(1),
  tools: z.array(OpenAiTool).optional(),
});
export type OpenAiChatRequest = z.infer<typeof OpenAiChatRequestSchema>;

export interface RequestCount {
  tokens: number;
  method: CountMethod;
  parts: { messages: number; overhead: number; tools: number };
  messageCount: number;
  notes: string[];
}

/** Reads a request body or a bare messages array, failing with INVALID_INPUT that names the bad field. */
export function parseOpenAiChatRequest(json: unknown): OpenAiChatRequest {
  const candidate = Array.isArray(json) ? { messages: json } : json;
  const parsed = OpenAiChatRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    throw new AppError('INVALID_INPUT', `Not a valid chat request: ${where || '(root)'}: ${issue.message}.`, {
      field: where,
      issues: parsed.error.issues.length,
    });
  }
  return parsed.data;
}

// Constants of the cookbook's tool-definition approximation for the o200k models (gpt-4o family).
const TOOL = { funcInit: 7, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 };

/** Counts an OpenAI chat request as billed: message content plus the chat format's fixed overhead. */
export function countOpenAiChatRequest(
  request: OpenAiChatRequest,
  count: (text: string) => number,
): RequestCount {
  const notes: string[] = [];
  let messages = 0;
  let overhead = 3; // reply priming
  let estimate = false;
  for (const m of request.messages) {
    overhead += 3;
    messages += count(m.role);
    if (typeof m.content === 'string') messages += count(m.content);
    else if (Array.isArray(m.content)) {
      for (const part of m.content) {
        if (part.type === 'text' && typeof part.text === 'string') messages += count(part.text);
        else {
          estimate = true;
          if (!notes.includes(`non-text part "${part.type}" not counted`))
            notes.push(`non-text part "${part.type}" not counted`);
        }
      }
    }
    if (m.name !== undefined) {
      messages += count(m.name);
      overhead += 1;
    }
    if (m.tool_calls) {
      estimate = true;
      for (const call of m.tool_calls) messages += count(call.function.name) + count(call.function.arguments);
      if (!notes.includes('tool calls counted by their name and arguments (undocumented format)')) {
        notes.push('tool calls counted by their name and arguments (undocumented format)');
      }
    }
    if (m.tool_call_id !== undefined) messages += count(m.tool_call_id);
  }
  let tools = 0;
  if (request.tools?.length) {
    estimate = true;
    notes.push("tool definitions counted with the OpenAI cookbook's approximation");
    for (const t of request.tools) {
      tools += TOOL.funcInit;
      const desc = (t.function.description ?? '').replace(/\.$/, '');
      tools += count(`${t.function.name}:${desc}`);
      const props = Object.entries(t.function.parameters?.properties ?? {});
      if (props.length) {
        tools += TOOL.propInit;
        for (const [key, prop] of props) {
          tools += TOOL.propKey;
          if (prop.enum) {
            tools += TOOL.enumInit;
            for (const item of prop.enum) tools += TOOL.enumItem + count(String(item));
          }
          tools += count(`${key}:${String(prop.type ?? '')}:${(prop.description ?? '').replace(/\.$/, '')}`);
        }
      }
    }
    tools += TOOL.funcEnd;
  }
  return {
    tokens: messages + overhead + tools,
    method: estimate ? 'estimate' : 'exact',
    parts: { messages, overhead, tools },
    messageCount: request.messages.length,
    notes,
  };
}
