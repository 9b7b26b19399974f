import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { encode as gptO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as gptCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { Tiktoken as JsTiktoken } from 'js-tiktoken/lite';
import jsO200kRanks from 'js-tiktoken/ranks/o200k_base';
import jsCl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import { get_encoding } from 'tiktoken';
import { describe, expect, it } from 'vitest';
import { createGptTokenizer } from '../../src/core/tokens/gptTokenizer';

const tk = { o200k_base: get_encoding('o200k_base'), cl100k_base: get_encoding('cl100k_base') };
const js = { o200k_base: new JsTiktoken(jsO200kRanks), cl100k_base: new JsTiktoken(jsCl100kRanks) };
const gpt = { o200k_base: gptO200k, cl100k_base: gptCl100k };
const NONE = new Set<string>();
const ours = createGptTokenizer();

const corpora = path.resolve('../shared/corpora');
const realTexts: string[] = [
  ...readdirSync(path.join(corpora, 'system-prompts'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(path.join(corpora, 'system-prompts', f), 'utf8')),
  readFileSync(path.join(corpora, 'golden/gsm8k/lib_prompt/prompt_hardest.txt'), 'utf8'),
  ...readFileSync(
    path.join(corpora, 'conversations/mt-bench-101__data__subjective__mtbench101.jsonl'),
    'utf8',
  )
    .split('\n')
    .slice(0, 40),
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Random strings over a mix of scripts, whitespace, digits, punctuation, emoji and special-token text. */
function randomString(r: () => number): string {
  const pools = [
    'abcXYZ',
    '  \t',
    '\n\r',
    '0123456789',
    '.,;:!?\'"-_/\\()[]{}<>',
    '안녕하세요한국어',
    '東京大阪日本語',
    'привет',
    'مرحبا',
    '🙂👩‍💻🎉',
    'é\u0301ñ',
    '<|endoftext|>',
    '<|im_start|>',
  ];
  let s = '';
  const n = 1 + Math.floor(r() * 120);
  for (let i = 0; i < n; i++) {
    const pool = pools[Math.floor(r() * pools.length)]!;
    if (pool.startsWith('<|')) s += pool;
    else s += Array.from(pool)[Math.floor(r() * Array.from(pool).length)]!;
  }
  return s;
}

describe('exact tokenizers agree token for token', () => {
  for (const enc of ['o200k_base', 'cl100k_base'] as const) {
    it(`${enc}: tiktoken, gpt-tokenizer and js-tiktoken give identical ids on real text`, () => {
      for (const text of realTexts) {
        const reference = Array.from(tk[enc].encode(text, [], []));
        expect(gpt[enc](text, { disallowedSpecial: NONE })).toEqual(reference);
        expect(js[enc].encode(text, [], [])).toEqual(reference);
        expect(ours.count(text, enc)).toBe(reference.length);
      }
    });

    it(`${enc}: identical ids on 2,000 random strings`, () => {
      const r = rng(enc === 'o200k_base' ? 11 : 12);
      for (let i = 0; i < 2000; i++) {
        const text = randomString(r);
        const reference = Array.from(tk[enc].encode(text, [], []));
        expect(gpt[enc](text, { disallowedSpecial: NONE }), JSON.stringify(text)).toEqual(reference);
        expect(js[enc].encode(text, [], []), JSON.stringify(text)).toEqual(reference);
        expect(ours.count(text, enc)).toBe(reference.length);
      }
    });
  }
});
