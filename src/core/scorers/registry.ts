import { z } from 'zod';
import { classificationScorer } from './classification';
import { costScorer, latencyScorer, llmRubricScorer } from './judged';
import { isJsonScorer, jsonEqualsScorer, jsonSchemaScorer } from './jsonScorers';
import { negate } from './negate';
import { numericScorer } from './numeric';
import { rougeLScorer, similarScorer } from './similarity';
import {
  containsAllScorer,
  containsAnyScorer,
  containsScorer,
  equalsScorer,
  icontainsScorer,
  regexScorer,
  startsWithScorer,
} from './strings';
import type { Scorer, ScorerPort } from './types';

/**
 * Every scorer, in the order the UI lists them. Adding one means adding one entry here and its tests; the
 * golden-set parser, the runner and the UI pick it up from this list, and its `not-` form comes for free.
 */
export const SCORER_LIST: readonly Scorer[] = [
  equalsScorer,
  containsScorer,
  icontainsScorer,
  containsAllScorer,
  containsAnyScorer,
  startsWithScorer,
  regexScorer,
  isJsonScorer,
  jsonSchemaScorer,
  jsonEqualsScorer,
  classificationScorer,
  numericScorer,
  similarScorer,
  rougeLScorer,
  llmRubricScorer,
  costScorer,
  latencyScorer,
] as readonly Scorer[];

/** The registry: assertion type → scorer, with every scorer's `not-` form. */
export const SCORERS: Readonly<Record<string, Scorer>> = Object.fromEntries(
  SCORER_LIST.flatMap((s) => [
    [s.id, s],
    [`not-${s.id}`, negate(s)],
  ]),
);

/** The scorer for an assertion type (`contains`, `not-contains`, ...), or undefined. */
export function getScorer(type: string): Scorer | undefined {
  return Object.hasOwn(SCORERS, type) ? SCORERS[type] : undefined;
}

/** What a UI or a remote client needs to list a scorer and build its options form (JSON Schema). */
export interface ScorerInfo {
  id: string;
  label: string;
  description: string;
  usesExpected: boolean;
  needs?: ScorerPort;
  /** Defaults, when the scorer has no required option. */
  defaults?: Record<string, unknown>;
  optionsSchema: Record<string, unknown>;
}

/** Serialisable descriptions of the registered scorers (their `not-` forms share the same options). */
export function describeScorers(): ScorerInfo[] {
  return SCORER_LIST.map((s) => {
    const d = s.options.safeParse({});
    return {
      id: s.id,
      label: s.label,
      description: s.description,
      usesExpected: s.usesExpected === true,
      ...(s.needs ? { needs: s.needs } : {}),
      ...(d.success ? { defaults: d.data as Record<string, unknown> } : {}),
      optionsSchema: z.toJSONSchema(s.options, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >,
    };
  });
}
