/**
 * Conversation histories, provider-neutral (issue 7). Importers (formats/) read OpenAI chat messages,
 * Anthropic messages, ShareGPT, JSONL and plain transcripts into these shapes; exporters write them back to
 * OpenAI and Anthropic. Policies (policy/) and the simulation work on them only.
 *
 * The model: a conversation is an optional system prompt plus messages; each message has a role and a list
 * of content blocks. Tool calls are `tool_use` blocks on assistant messages; their results are `tool_result`
 * blocks on `tool` messages (one result per message, OpenAI's shape). Anthropic puts results in a user
 * message: the importer splits such a message into `tool` messages (and a user message for any text after
 * them), and the Anthropic exporter merges consecutive `tool` messages back into one user message.
 */

export type HistoryRole = 'user' | 'assistant' | 'tool';

/** Anthropic's prompt-cache marker on a block, kept so an export can write it back. */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export type ContentBlock =
  | { type: 'text'; text: string; cacheControl?: CacheControl }
  | {
      type: 'tool_use';
      /** The call id (OpenAI `tool_calls[].id`, Anthropic `tool_use.id`). */
      id: string;
      name: string;
      /** The arguments, parsed (OpenAI sends them as a JSON string; an unparsable string is kept as is). */
      input: unknown;
      cacheControl?: CacheControl;
    }
  | {
      type: 'tool_result';
      /** The call this answers. */
      toolUseId: string;
      /** The result's text (Anthropic's block list flattened to text; other blocks are kept in `blocks`). */
      content: string;
      isError?: boolean;
      cacheControl?: CacheControl;
    }
  | { type: 'thinking'; thinking: string; signature?: string }
  /** A block PromptPress does not model (images, documents, redacted thinking): kept as is for export. */
  | { type: 'opaque'; provider: 'openai' | 'anthropic'; value: unknown };

export interface HistoryMessage {
  role: HistoryRole;
  content: ContentBlock[];
  /** OpenAI's optional participant name. */
  name?: string;
}

export type HistoryFormat = 'openai' | 'anthropic' | 'sharegpt' | 'jsonl' | 'transcript';

export interface Conversation {
  /** Stable within its file: the file's own id when it has one, else `conversation-<n>` (1-based). */
  id: string;
  title?: string;
  /** The system prompt (OpenAI `system`/`developer` messages joined, Anthropic top-level `system`). */
  system?: string;
  messages: HistoryMessage[];
  /** Fields of the source the model does not use (tau-bench's reward and expected actions, …). */
  metadata?: Record<string, unknown>;
  source: { file: string; format: HistoryFormat; index: number; line?: number };
}

/** Something an importer skipped or changed, which the user should see. */
export interface HistoryWarning {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export interface ImportedHistory {
  conversations: Conversation[];
  format: HistoryFormat;
  warnings: HistoryWarning[];
}

/** The text of a message's blocks as a model reads it (for counting and display). */
export function messageText(m: HistoryMessage): string {
  return m.content
    .map((b) => {
      switch (b.type) {
        case 'text':
          return b.text;
        case 'tool_use':
          return `${b.name}(${typeof b.input === 'string' ? b.input : JSON.stringify(b.input)})`;
        case 'tool_result':
          return b.content;
        case 'thinking':
          return b.thinking;
        case 'opaque':
          return '';
      }
    })
    .filter(Boolean)
    .join('\n');
}
