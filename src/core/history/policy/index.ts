export * from './schema';
export { policyFormatOf, readPolicyFile, parsePolicy, writePolicyFile, type PolicyFileFormat } from './file';
export {
  createRequestCounter,
  countRequest,
  toOpenAiMessage,
  type RequestCounter,
  type HistoryRequest,
} from './count';
export { validateRequest, type RequestViolation, type ViolationRule } from './validate';
export {
  providerOf,
  canStartAt,
  unitEnd,
  renameDuplicateToolIds,
  finalise,
  messageKey,
  sameMessage,
  type RequestProvider,
} from './structure';
export { truncateMiddle } from './toolResults';
export {
  SUMMARY_HEADER,
  transcript,
  summaryInput,
  type SummariseRequest,
  type SummaryResult,
  type SummarisePort,
  type SummaryCache,
  type SummaryCall,
} from './summarise';
export {
  applyPolicy,
  applyPolicySync,
  runPolicy,
  createPolicyState,
  needsSummariser,
  type PolicyContext,
  type PolicyState,
  type PolicyResult,
  type StepOutcome,
} from './apply';
export { contentHash } from './hash';
