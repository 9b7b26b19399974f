/**
 * Real prompts from ../shared/corpora for the compression tests and bench/compression.bench.ts (MIT and
 * CC0 sources; see SOURCES.tsv in each corpora folder): the five long agent policies, the GSM8K 8-shot prompt,
 * the 27 BIG-Bench-Hard 3-shot prompts and the awesome-chatgpt-prompts persona prompts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createGptTokenizer } from '../../../src/core/tokens/gptTokenizer';
import { loadRuleTables, mergeRuleTables, type RuleTables } from '../../../src/core/compression';

export const CORPORA = path.resolve(import.meta.dirname, '../../../../shared/corpora');
const RULES = path.resolve(import.meta.dirname, '../../../resources/rules');

export interface Prompt {
  name: string;
  text: string;
}

/**
 * A minimal RFC 4180 CSV parser: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF
 * ends a record. Returns rows of fields (the header is the first row).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The system prompts the bench reports on: 5 policies, GSM8K, 27 BBH prompts and `csvRows` persona prompts. */
export function systemPrompts(csvRows = 200): Prompt[] {
  const sp = path.join(CORPORA, 'system-prompts');
  const out: Prompt[] = readdirSync(sp)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({
      name: f.replace(/^(\d+)_.*__(.*)\.md$/, '$1 $2'),
      text: readFileSync(path.join(sp, f), 'utf8'),
    }));
  out.push({
    name: 'gsm8k prompt_hardest',
    text: readFileSync(path.join(CORPORA, 'golden/gsm8k/lib_prompt/prompt_hardest.txt'), 'utf8'),
  });
  const bbh = path.join(CORPORA, 'golden/bbh/lib_prompt');
  for (const f of readdirSync(bbh)
    .filter((x) => x.endsWith('.txt'))
    .sort()) {
    out.push({ name: `bbh ${f.replace(/\.txt$/, '')}`, text: readFileSync(path.join(bbh, f), 'utf8') });
  }
  const rows = parseCsv(readFileSync(path.join(sp, 'awesome-chatgpt-prompts.csv'), 'utf8'));
  const header = rows[0]!;
  const act = header.indexOf('act');
  const prompt = header.indexOf('prompt');
  for (const r of rows.slice(1, 1 + csvRows)) {
    if (r[prompt]) out.push({ name: `persona ${r[act]}`, text: r[prompt]! });
  }
  return out;
}

/** The bundled phrase tables, parsed as the backend will parse them. */
export function bundledRules(): RuleTables {
  return mergeRuleTables(
    loadRuleTables(JSON.parse(readFileSync(path.join(RULES, 'filler.en.json'), 'utf8')), 'filler.en.json'),
    loadRuleTables(JSON.parse(readFileSync(path.join(RULES, 'filler.ko.json'), 'utf8')), 'filler.ko.json'),
  );
}

const tokenizer = createGptTokenizer();
/** The exact o200k_base counter every compression test and bench uses. */
export const countO200k = (t: string): number => tokenizer.count(t, 'o200k_base');

/** About `tokens` o200k tokens of real prompt text: every system prompt once, under a heading, repeated. */
export function longPrompt(tokens: number): string {
  const parts = systemPrompts(400).map((p) => `# ${p.name}\n\n${p.text.trim()}\n`);
  let text = '';
  let n = 0;
  for (let i = 0; n < tokens; i = (i + 1) % parts.length) {
    text += parts[i] + '\n';
    n += countO200k(parts[i]!) + 1;
  }
  return text;
}
