export * from './types';
export { protectedSpans, guardEdits, propagateGroups, type ProtectOptions, type GuardResult } from './guards';
export { SpanIndex, offsetMapper } from './spanIndex';
export {
  guardedWordCounts,
  missingGuardWords,
  GUARDED_EN,
  GUARDED_KO_SUBSTRINGS,
  GUARDED_KO_WORDS,
} from './guardWords';
export { checkGuardInvariants, type InvariantViolation } from './invariants';
export { isSafeCut, editWindow } from './measure';
export {
  loadRuleTables,
  mergeRuleTables,
  EMPTY_RULE_TABLES,
  FillerEntrySchema,
  type FillerEntry,
  type FillerRule,
  type RuleTables,
} from './rules';
export type { Strategy, StrategyContext } from './strategy';
export type { RewriteAnswer, RewriteHook, RewriteRequest, StageError } from './rewriteHook';
export { LLM_REWRITE_ID } from './strategies/llmRewrite';
export { diffHunks, type Hunk } from './wordDiff';
export {
  STRATEGIES,
  STRATEGY_LIST,
  getStrategy,
  describeStrategies,
  type StrategyInfo,
} from './strategies/registry';
export { markdownSections, type Section } from './sections';
export { applyEdits } from './stage';
export {
  PipelineSchema,
  PipelineStepSchema,
  DEFAULT_PIPELINE,
  parsePipeline,
  runPipeline,
  type Pipeline,
  type ParsedPipeline,
  type PipelineContext,
  type PipelineResult,
  type StageResult,
  type SectionCount,
  type GuardReport,
} from './pipeline';
export { locateEdits, type LocatedEdit, type EditStatus } from './locate';
export { compressionReport, type ReportInput } from './report';
