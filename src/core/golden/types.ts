import type { AssertionSpec } from '../scorers/types';

/** A chat message of a case's input; its content is a template like the prompt variants. */
export interface GoldenMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One golden case: what goes in (variables and/or messages), what should come out, and how to judge it. */
export interface GoldenCase {
  /** Stable within the set: given in the file, else `case-<n>` by position (1-based). */
  id: string;
  description?: string;
  /** Template variables, merged over defaultTest.vars. Values are JSON (strings, numbers, objects...). */
  vars: Record<string, unknown>;
  /** Input messages sent after the variant (see docs/formats/golden-set.md, "From a case to a request"). */
  messages?: GoldenMessage[];
  /** The reference answer; scorers whose `value` is omitted compare against it. */
  expected?: string;
  /** The case's own assertions; defaultTest's apply as well (see caseAssertions). */
  assert: AssertionSpec[];
  /** When set, the case passes when its weighted score reaches it, instead of when every assertion passes. */
  threshold?: number;
  metadata?: Record<string, unknown>;
  /** 1-based line where the case starts in its file, for the editor and error messages. */
  line?: number;
}

/** What applies to every case. */
export interface GoldenDefaults {
  vars: Record<string, unknown>;
  assert: AssertionSpec[];
  threshold?: number;
}

/** The importers a golden set can come through. */
export type GoldenFormat = 'golden' | 'promptfoo' | 'promptfoo-csv' | 'openai-evals' | 'csv';

/** Something an importer left out or changed, which the user should see (an unsupported promptfoo assertion). */
export interface GoldenWarning {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

/** A parsed golden set. */
export interface GoldenSet {
  name?: string;
  description?: string;
  defaultTest: GoldenDefaults;
  cases: GoldenCase[];
  /** The file it came from and how it was read. */
  source: { file: string; format: GoldenFormat };
  warnings: GoldenWarning[];
}
