/**
 * Shared types of the compression engine. Offsets are UTF-16 code unit indices (JavaScript string indices),
 * half-open [start, end), like Monaco's offsets.
 */

/** A half-open range of a text. */
export interface Range {
  start: number;
  end: number;
}

/** What a protected span protects; the guard report groups blocked edits by it. */
export const SPAN_KINDS = [
  'code-block',
  'json-block',
  'inline-code',
  'keep',
  'user',
  'tag',
  'url',
  'email',
  'path',
  'quote',
  'json-key',
  'json-value',
  'placeholder',
  'date',
  'time',
  'number',
] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** A span of the text that no edit may touch (json-block: see {@link ProtectedSpan.jsonWhitespace}). */
export interface ProtectedSpan extends Range {
  kind: SpanKind;
  /**
   * Only for `json-block`: the block parsed as JSON, so deleting whitespace between its tokens is allowed
   * (its keys, values and punctuation are protected by their own spans). Every other span is untouchable.
   */
  jsonWhitespace?: boolean;
}

/**
 * Why an edit did not make it into the output: it would touch a protected span of that kind; remove a
 * negation or modal word; create structure at a line start (a code fence, a heading); it belongs to a group
 * that lost a member; or it overlaps an earlier edit of the same stage.
 */
export type BlockKind = SpanKind | 'negation' | 'structure' | 'linked' | 'overlap';

/** An edit as a strategy proposes it, on its stage's input. The pipeline fills in the rest. */
export interface ProposedEdit extends Range {
  /** Rule within the strategy, e.g. `trailing`, `en.in-order-to`. */
  ruleId: string;
  /** Replacement text for [start, end). */
  after: string;
  /** A sentence a person understands: what was changed and why it is safe. */
  reason: string;
  /** Edits sharing a group are applied all-or-nothing (an emphasis pair, one JSON block). */
  group?: string;
  /**
   * Only honoured for lossy strategies (the pipeline clears it for the others): the edit deletes a whole unit
   * (a few-shot example), so protected spans that lie wholly inside it, and the negations in it, go with it.
   * A protected span it only partly covers still blocks it. The guard report counts what went this way.
   */
  dropsUnit?: boolean;
  /** For duplicates: the earlier occurrence this one repeats (offsets in the same stage input). */
  duplicateOf?: { start: number; end: number; line: number };
  /** Figures a suggestion strategy (`kind: 'suggestion'`) attaches to its proposal, for a UI to show. */
  suggestion?: EditSuggestion;
}

/**
 * Machine-readable advice that comes with a proposal of a suggestion strategy, beside its `reason`.
 * Additive: edits of the other strategies leave it out.
 */
export interface EditSuggestion {
  /** structured.output: a max_tokens to request with the compact answer (an estimate from its fields). */
  maxTokens?: number;
  /**
   * cache.reorder: characters of the static prefix (up to the first dynamic content, the part a prompt cache
   * can serve) before and after the move. Token figures depend on the model; the host adds them.
   */
  prefixChars?: { before: number; after: number };
  /** A sentence for the UI: what to check before keeping the proposal. */
  note?: string;
}

/** One edit of one stage. `start`/`end` are offsets into that stage's input text. */
export interface Edit extends ProposedEdit {
  /**
   * Stable id: `<strategy>/<ruleId>/<hash of before and after>/<k>`, where k counts earlier edits of the stage
   * with the same rule, before and after. Rejecting an edit elsewhere does not renumber it, so a UI can keep a
   * set of rejected ids across runs.
   */
  id: string;
  strategy: string;
  before: string;
  /**
   * Tokens saved by this edit applied alone to its stage input: count(window) − count(window after the
   * edit), where the window is the edit widened to the nearest "safe cuts" on both sides (positions where the
   * GPT pre-tokenizer cannot join the two sides, see measure.ts), so the difference equals the difference of
   * full-text counts. Negative when the edit costs tokens.
   */
  tokensSaved: number;
  /** False only when no safe cut was found within 256 characters; then `tokensSaved` is a local estimate. */
  tokensExact: boolean;
}

/** An edit the guards (or a rejection) kept out of the output. */
export interface BlockedEdit {
  edit: Edit;
  /** A sentence saying what would have been damaged. */
  reason: string;
  spanKind: BlockKind;
}

/** A counter of tokens for one encoding; the host passes an exact one (see tokens/gptTokenizer.ts). */
export type CountTokens = (text: string) => number;
