import type { CompressResult } from '../../../../shared/contract';
import { Icon } from '../../components/Icon';
import { formatInt, formatUsd } from '../../lib/format';

/**
 * What else the run says: warnings (a model that did not load), the model calls llm.rewrite made with their
 * provider-reported usage and cost, and cache.reorder's effect on prompt caching.
 */
export function RunNotes({ result }: { result: CompressResult }) {
  const warnings = result.warnings ?? [];
  const calls = result.llmCalls ?? [];
  const reorder = result.cacheReorder;
  if (warnings.length === 0 && calls.length === 0 && !reorder) return null;
  return (
    <ul className="run-notes" data-testid="run-notes">
      {warnings.map((w) => (
        <li key={w} className="run-note warning">
          <Icon name="warning" /> {w}
        </li>
      ))}
      {calls.map((c, i) => (
        <li key={`${i}:${c.model}`} className="run-note" data-testid="llm-call">
          <strong>{c.purpose}</strong> called {c.provider}:{c.model}
          {c.cached ? ' (answer reused, no new call)' : ''}: {formatInt(c.usage.inputTokens)} in ·{' '}
          {formatInt(c.usage.outputTokens)} out, provider-reported ·{' '}
          {c.usd === null ? 'no price' : formatUsd(c.usd)}
        </li>
      ))}
      {reorder && (
        <li className="run-note" data-testid="reorder-note">
          <strong>cache.reorder</strong> on {reorder.model}: cacheable prefix{' '}
          {formatInt(reorder.before.prefixTokens)} → {formatInt(reorder.after.prefixTokens)} tokens,{' '}
          {formatUsd(reorder.before.expectedUsd)} → {formatUsd(reorder.after.expectedUsd)} per request at a{' '}
          {Math.round(reorder.hitRate * 100)}% hit rate
          {reorder.applied ? '' : ' (if you accept the move)'}.
        </li>
      )}
    </ul>
  );
}
