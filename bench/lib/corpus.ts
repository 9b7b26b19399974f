import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CORPORA = path.resolve(import.meta.dirname, '../../../shared/corpora');

/** Real English prompt and conversation text from ../shared/corpora, repeated to at least `minChars`. */
export function realText(minChars: number): string {
  const dir = path.join(CORPORA, 'system-prompts');
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const convo = readFileSync(
    path.join(CORPORA, 'conversations/mt-bench-101__data__subjective__mtbench101.jsonl'),
    'utf8',
  );
  parts.push(convo.slice(0, 400_000));
  let text = parts.join('\n\n');
  while (text.length < minChars) text += '\n\n' + text;
  return text.slice(0, Math.max(minChars, 0));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function machine(): string {
  return `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
