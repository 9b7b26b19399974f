/**
 * Full-count throughput of the three exact JavaScript tokenizers on the same real text, and a check that they
 * agree token for token. Prints MB/s for each and the ratios to the fastest pure-JS one.
 */
import { get_encoding } from 'tiktoken';
import { encode as gptEncode } from 'gpt-tokenizer/encoding/o200k_base';
import { Tiktoken as JsTiktoken } from 'js-tiktoken/lite';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import { createGptTokenizer } from '../src/core/tokens/gptTokenizer';
import { realText } from './lib/corpus';

export const name = 'tokenizers';

function time(fn: () => number, runs: number): { ms: number[]; count: number } {
  const ms: number[] = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    count = fn();
    ms.push(performance.now() - t0);
  }
  return { ms: ms.sort((a, b) => a - b), count };
}

export async function run(): Promise<Record<string, unknown>> {
  const text = realText(2_000_000);
  const bytes = Buffer.byteLength(text);
  const tk = get_encoding('o200k_base');
  const js = new JsTiktoken(o200kRanks);
  const none = new Set<string>();
  const ours = createGptTokenizer();
  const impls: Record<string, () => number> = {
    tiktoken: () => tk.encode(text, [], []).length,
    'gpt-tokenizer': () => gptEncode(text, { disallowedSpecial: none }).length,
    'js-tiktoken': () => js.encode(text, [], []).length,
    // PromptPress's own full-count path (the Tokenizer port's default implementation)
    promptpress: () => ours.count(text, 'o200k_base'),
  };
  const results: Record<string, { mbPerS: number; medianMs: number; tokens: number }> = {};
  for (const [id, fn] of Object.entries(impls)) {
    fn(); // warm-up: JIT and merge caches
    const { ms, count } = time(fn, 5);
    const median = ms[Math.floor(ms.length / 2)]!;
    results[id] = { mbPerS: bytes / 1e6 / (median / 1000), medianMs: median, tokens: count };
  }
  const counts = new Set(Object.values(results).map((r) => r.tokens));
  if (counts.size !== 1) throw new Error(`tokenizers disagree: ${JSON.stringify(results)}`);
  const fastestJs = Math.max(results['gpt-tokenizer']!.mbPerS, results['js-tiktoken']!.mbPerS);
  console.log(
    `  text: ${(bytes / 1e6).toFixed(2)} MB of real prompts and conversations, ${results.tiktoken!.tokens.toLocaleString('en-US')} o200k_base tokens (all agree)`,
  );
  for (const [id, r] of Object.entries(results)) {
    console.log(
      `  ${id.padEnd(14)} ${r.mbPerS.toFixed(2).padStart(7)} MB/s   median ${r.medianMs.toFixed(0)} ms   ×${(r.mbPerS / fastestJs).toFixed(2)} vs fastest pure-JS`,
    );
  }
  const ratio = results.promptpress!.mbPerS / fastestJs;
  console.log(
    `  PromptPress full count vs fastest pure-JS tokenizer: ×${ratio.toFixed(2)} (target ≥ 1.00 within noise)`,
  );
  tk.free();
  return { bytes, results, ratioVsFastestJs: ratio };
}
