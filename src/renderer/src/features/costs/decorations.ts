import type { EditorDecorations } from '../editor/editorHost';
import type { CacheAnalysis } from '../../stores/cacheWhatIf';
import { formatInt } from '../../lib/format';
import { kindLabel } from './cacheText';

/** The Cache tab's findings as editor marks on the text they were computed for. */
export function cacheDecorations(analysis: CacheAnalysis, text: string): EditorDecorations {
  const firstOffset = analysis.firstDynamic?.offset ?? -1;
  return {
    text,
    prefixEnd: analysis.prefixChars,
    prefixCached: analysis.cachedTokensOnHit > 0,
    spans: analysis.dynamicSpans.map((s) => ({
      offset: s.offset,
      length: s.text.length,
      first: s.offset === firstOffset,
      message:
        s.offset === firstOffset
          ? `${kindLabel(s.kind)}: changes between requests, so the cacheable prefix ends here.`
          : `${kindLabel(s.kind)}: changes between requests.`,
    })),
    breakpoints: analysis.breakpoints.map((b) => ({
      offset: b.offset,
      message: `Suggested cache breakpoint after ${formatInt(b.tokens)} tokens: ${b.reason}`,
    })),
  };
}
