import { z } from 'zod';
import type { FillerRule } from '../rules';
import type { Strategy } from '../strategy';
import { forEachMatch, lineStartFinder } from '../text';
import type { ProposedEdit } from '../types';

const options = z.strictObject({
  languages: z.array(z.string()).default(['en', 'ko']).describe('Languages whose phrase tables apply'),
  exclude: z.array(z.string()).default([]).describe('Rule ids to skip'),
});

function expand(replacement: string, m: RegExpExecArray): string {
  return replacement.replace(/\$(\$|[1-9])/g, (_, g: string) => (g === '$' ? '$' : (m[Number(g)] ?? '')));
}

const UPPER = /^\p{Lu}/u;
const LOWER_WORD = /^\p{Ll}[\p{Ll}'’-]*(?![\p{L}\p{N}])/u;

const LINE_PREFIX = /^[ \t]*(?:(?:[-*+>]|\d{1,9}[.)])[ \t]+)*$/;
const AFTER_SENTENCE = /[.!?。！？]["'”’)\]]*[ \t]+$/;

/** True when a sentence starts at `i`: at a line start (after indentation and list markers) or after . ! ? */
export function atSentenceStart(
  text: string,
  i: number,
  lineStart = text.lastIndexOf('\n', i - 1) + 1,
): boolean {
  const prefix = text.slice(lineStart, i);
  return LINE_PREFIX.test(prefix) || AFTER_SENTENCE.test(prefix.slice(-16));
}

interface Candidate {
  start: number;
  end: number;
  after: string;
  rule: FillerRule;
}

interface LiteralEntry {
  text: string;
  rule: FillerRule;
  wordStart: boolean;
  wordEnd: boolean;
}

/** All literal phrases of the active rules, matched in one pass per case mode (longest alternative first). */
interface LiteralIndex {
  ci: { regex: RegExp; entries: LiteralEntry[] } | undefined;
  cs: { regex: RegExp; entries: LiteralEntry[] } | undefined;
  regexRules: Array<{ rule: FillerRule; regex: RegExp }>;
}

const indexCache = new WeakMap<readonly FillerRule[], Map<string, LiteralIndex>>();
const WORD_EDGE = /[\p{L}\p{N}_]/u;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A regex source that matches wherever one of `literals` (none empty) does: their trie, cut at every
 * literal's end (a longer literal can only match where its prefix already does). The regex only finds the
 * positions, the entries are checked there; as one flat alternation, the engine tried every phrase at
 * every position of the text.
 */
function trieSource(literals: readonly string[]): string {
  type Node = Map<string, Node | true>;
  const root: Node = new Map();
  for (const literal of literals) {
    let node = root;
    for (let i = 0; i < literal.length; i++) {
      const ch = literal[i]!;
      const next = node.get(ch);
      if (next === true) break;
      if (i === literal.length - 1) node.set(ch, true);
      else if (next) node = next;
      else {
        const child: Node = new Map();
        node.set(ch, child);
        node = child;
      }
    }
  }
  const emit = (node: Node): string => {
    const alternatives = [...node].map(([ch, next]) => escapeRegex(ch) + (next === true ? '' : emit(next)));
    return alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
  };
  return emit(root);
}

function literalIndex(
  all: readonly FillerRule[],
  languages: readonly string[],
  exclude: readonly string[],
): LiteralIndex {
  const key = `${languages.join(',')}|${exclude.join(',')}`;
  let byKey = indexCache.get(all);
  if (!byKey) indexCache.set(all, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const langs = new Set(languages);
  const skip = new Set(exclude);
  const ci: LiteralEntry[] = [];
  const cs: LiteralEntry[] = [];
  const regexRules: LiteralIndex['regexRules'] = [];
  for (const rule of all) {
    if (!langs.has(rule.language) || skip.has(rule.id)) continue;
    for (const m of rule.matchers) {
      if (m.kind === 'regex') regexRules.push({ rule, regex: m.regex });
      else
        (m.caseInsensitive ? ci : cs).push({
          text: m.text,
          rule,
          wordStart: m.wordStart,
          wordEnd: m.wordEnd,
        });
    }
  }
  const build = (entries: LiteralEntry[], flags: string) => {
    if (entries.length === 0) return undefined;
    entries.sort((a, b) => b.text.length - a.text.length);
    const texts = entries.map((e) => e.text);
    const source = texts.includes('') ? [...new Set(texts.map(escapeRegex))].join('|') : trieSource(texts);
    return { regex: new RegExp(source, flags), entries };
  };
  // case-insensitive literals are matched with the i flag on the text itself: lower-casing a long text first
  // costs more, and may change its length
  const index = { ci: build(ci, 'gi'), cs: build(cs, 'g'), regexRules };
  byKey.set(key, index);
  return index;
}

/**
 * rules.filler: filler, politeness and hedging phrases removed or rewritten from the phrase tables
 * (resources/rules/filler.<lang>.json, extended by the user). When a capitalised phrase opening a sentence is
 * removed, the next word is capitalised. Matches inside code are skipped; matches touching other protected
 * spans are left for the guards to report.
 */
export const fillerStrategy: Strategy<typeof options> = {
  id: 'rules.filler',
  label: 'Filler phrases',
  description:
    'Removes filler, politeness and hedging, and rewrites verbose phrases ("in order to" → "to") from editable phrase tables.',
  lossy: false,
  defaultEnabled: true,
  local: true,
  options,
  run(text, o, ctx) {
    const index = literalIndex(ctx.rules.filler, o.languages, o.exclude);
    const found: Candidate[] = [];
    // sentence starts are checked below, once it is known which earlier phrases go (removing "Please " makes
    // the word after it open the sentence)
    const allowed = (_rule: FillerRule, start: number, end: number) => !ctx.spans.inCode(start, end);
    for (const group of [index.ci, index.cs]) {
      if (!group) continue;
      const ci = group === index.ci;
      forEachMatch(group.regex, text, ctx.only, (m) => {
        const p = m.index;
        let next = p + 1;
        for (const e of group.entries) {
          const end = p + e.text.length;
          const here = ci ? text.slice(p, end).toLowerCase() : text.slice(p, end);
          if (here !== e.text) continue;
          if (e.wordStart && p > 0 && WORD_EDGE.test(text[p - 1]!)) continue;
          if (e.wordEnd && end < text.length && WORD_EDGE.test(text[end]!)) continue;
          if (!allowed(e.rule, p, end)) continue;
          found.push({ start: p, end, after: e.rule.replacement, rule: e.rule });
          next = end;
          break;
        }
        return next;
      });
    }
    for (const { rule, regex } of index.regexRules) {
      forEachMatch(regex, text, ctx.only, (m) => {
        if (m[0].length === 0) return;
        const start = m.index;
        const end = start + m[0].length;
        if (allowed(rule, start, end)) found.push({ start, end, after: expand(rule.replacement, m), rule });
      });
    }
    // earliest first, longest first at the same start; a later candidate overlapping a taken one is dropped
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const starts = new Set(found.map((c) => c.start));
    const lineStartOf = lineStartFinder(text);
    const edits: ProposedEdit[] = [];
    let taken = -1;
    let opened = -1; // where the last removed sentence opener ended: a sentence starts there now
    let openedUpper = false; // and whether that sentence began with a capital
    for (const c of found) {
      if (c.start < taken) continue;
      const atStart = c.start === opened || atSentenceStart(text, c.start, lineStartOf(c.start));
      if (c.rule.sentenceStart && !atStart) continue;
      taken = c.end;
      const matched = text.slice(c.start, c.end);
      let { end, after } = c;
      const upper: boolean = UPPER.test(matched) || (c.start === opened && openedUpper);
      if (after === '' && atStart) {
        opened = c.end;
        openedUpper = upper;
      }
      if (upper) {
        if (after === '') {
          // the phrase opened a sentence: the next word opens it now, unless another phrase goes first
          const next = LOWER_WORD.exec(text.slice(end, end + 40));
          if (next && !starts.has(end) && !ctx.spans.touches(end, end + 1)) {
            after = text[end]!.toUpperCase();
            end += 1;
          }
        } else if (/^\p{Ll}/u.test(after)) {
          after = after[0]!.toUpperCase() + after.slice(1);
        }
      }
      if (end > taken) taken = end;
      edits.push({ ruleId: c.rule.id, start: c.start, end, after, reason: c.rule.reason });
    }
    return edits;
  },
};
