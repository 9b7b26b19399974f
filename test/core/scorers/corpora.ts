/**
 * Real golden data from ../shared/corpora for the scorer and golden-set tests (see SOURCES.tsv there):
 * BANKING77 (PolyAI, CC-BY-4.0), GSM8K (OpenAI, MIT) and Restaurant-8k slots (PolyAI, CC-BY-4.0).
 * Tests may use Node; only src/core may not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const GOLDEN = path.resolve(import.meta.dirname, '../../../../shared/corpora/golden');

export const readGolden = (rel: string): string => readFileSync(path.join(GOLDEN, rel), 'utf8');

/** BANKING77's 77 intent labels. */
export const banking77Labels = (): string[] =>
  JSON.parse(readGolden('banking77/categories.json')) as string[];

export interface GsmProblem {
  question: string;
  /** The worked solution, ending in "#### <number>". */
  answer: string;
}

/** GSM8K test problems, in file order. */
export function gsm8k(): GsmProblem[] {
  return readGolden('gsm8k/test.jsonl')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as GsmProblem);
}

export interface SlotExample {
  text: string;
  requestedSlots: string[];
  /** Slot name → the labelled span of the text. */
  slots: Record<string, string>;
}

interface RawSlot {
  userInput: { text: string };
  context?: { requestedSlots?: string[] };
  labels?: { slot: string; valueSpan: { startIndex?: number; endIndex: number } }[];
}

/** Restaurant-8k test turns with their slot values cut from the labelled spans. */
export function restaurant8k(): SlotExample[] {
  const raw = JSON.parse(readGolden('restaurant8k_slots/test.json')) as RawSlot[];
  return raw.map((r) => ({
    text: r.userInput.text,
    requestedSlots: r.context?.requestedSlots ?? [],
    slots: Object.fromEntries(
      (r.labels ?? []).map((l) => [
        l.slot,
        r.userInput.text.slice(l.valueSpan.startIndex ?? 0, l.valueSpan.endIndex),
      ]),
    ),
  }));
}
