import type { HistoryMessage } from '../types';
import type { ToolResultsStep } from './schema';
import { resultText, withResult, type StepEnv, type Working } from './steps';
import { counterId, derived, hasToolUse } from './structure';

/**
 * `text` cut to its first ⌈maxTokens/2⌉ and last ⌊maxTokens/2⌋ tokens around `marker` (`{tokens}` in it: how
 * many were left out). The cuts are the longest prefix and suffix within those counts, found by binary search
 * over characters with the exact counter, never inside a surrogate pair.
 */
export function truncateMiddle(
  text: string,
  maxTokens: number,
  marker: string,
  count: (text: string) => number,
): string {
  const total = count(text);
  if (total <= maxTokens) return text;
  const headBudget = Math.ceil(maxTokens / 2);
  const tailBudget = maxTokens - headBudget;
  // the longest piece of at most `budget` tokens, taken from the start or the end
  const longest = (budget: number, fromEnd: boolean) => {
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const piece = fromEnd ? text.slice(text.length - mid) : text.slice(0, mid);
      if (count(piece) <= budget) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let head = longest(headBudget, false);
  // never split a surrogate pair
  if (head > 0 && head < text.length && /[\uD800-\uDBFF]/.test(text[head - 1]!)) head--;
  let tail = Math.min(longest(tailBudget, true), text.length - head);
  if (tail > 0 && /[\uDC00-\uDFFF]/.test(text[text.length - tail]!)) tail--;
  const headText = text.slice(0, head);
  const tailText = text.slice(text.length - tail);
  const left = Math.max(0, total - count(headText) - count(tailText));
  return headText + marker.replaceAll('{tokens}', left.toLocaleString('en-US')) + tailText;
}

/**
 * Truncates long tool results to their head and tail, and/or replaces the results of all but the last
 * `keep` tool uses by a placeholder (what Anthropic's context editing does with `clear_tool_uses`). The
 * calls stay, so no call loses its result.
 */
export function toolResults(w: Working, step: ToolResultsStep, env: StepEnv): readonly HistoryMessage[] {
  const msgs = w.messages;
  const clear = step.clear;
  const excluded = new Set(clear?.excludeTools ?? []);
  let uses = 0;
  if (clear)
    for (const m of msgs)
      if (hasToolUse(m))
        for (const b of m.content) if (b.type === 'tool_use' && !excluded.has(b.name)) uses++;
  const oldUses = clear ? Math.max(0, uses - clear.keep) : 0;
  let seenUses = 0;
  // ids of the current unit's calls whose results are to be cleared, with their count
  let toClear = new Map<string, number>();
  let assistant: HistoryMessage | undefined;
  let out: HistoryMessage[] | undefined;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    let next = m;
    if (m.role === 'assistant') {
      assistant = m;
      toClear = new Map();
      for (const b of m.content) {
        if (b.type !== 'tool_use' || excluded.has(b.name)) continue;
        if (seenUses++ < oldUses) toClear.set(b.id, (toClear.get(b.id) ?? 0) + 1);
      }
    } else if (m.role === 'tool' && assistant) {
      const first = m.content.find((b) => b.type === 'tool_result');
      const id = first?.type === 'tool_result' ? first.toolUseId : undefined;
      const text = resultText(m);
      const n = id === undefined ? 0 : (toClear.get(id) ?? 0);
      if (clear && n > 0) {
        toClear.set(id!, n - 1);
        // a result already shorter than the placeholder stays (decided once per message)
        next = derived(m, `clear?:${counterId(env.counter)}:${clear.placeholder}`, () =>
          text !== '' && env.counter.text(text) > env.counter.text(clear.placeholder)
            ? withResult(m, `clear:${clear.placeholder}`, clear.placeholder)
            : m,
        );
      } else if (step.truncate && text !== '') {
        const { maxTokens, marker } = step.truncate;
        next = derived(m, `truncate:${counterId(env.counter)}:${maxTokens}:${marker}`, () => {
          const cut = truncateMiddle(text, maxTokens, marker, env.counter.text);
          return cut === text
            ? m
            : {
                ...m,
                content: m.content.map((b) => (b.type === 'tool_result' ? { ...b, content: cut } : b)),
              };
        });
      }
    } else assistant = undefined;
    if (next !== m) out ??= msgs.slice(0, i);
    out?.push(next);
  }
  return out ?? msgs;
}
