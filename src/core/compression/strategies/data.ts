import { z } from 'zod';
import type { Strategy } from '../strategy';
import { detectBlocks } from '../detect/blocks';
import { lineNumberer } from '../text';
import { qaLabelEdits, tableLineEdits } from './dataNotation';
import type { ProposedEdit } from '../types';

const options = z.strictObject({
  minifyJson: z
    .boolean()
    .default(true)
    .describe(
      'Remove whitespace between the tokens of JSON blocks (```json fences and standalone objects/arrays)',
    ),
  tablesToLines: z
    .boolean()
    .default(false)
    .describe('Rewrite pipe tables as one "header:value|header:value" line per row (pick per table)'),
  qaLabels: z
    .boolean()
    .default(false)
    .describe('Shorten transcript labels (Question/Answer, User/Assistant…) to Q: and A:'),
});

/**
 * format.data: minifies JSON blocks that parse: fenced ```json blocks and standalone objects or arrays in
 * prose (found by the guards as json-block spans). Each whitespace run between two tokens is one edit; keys,
 * values and punctuation stay byte for byte, and a block that does not parse is not a JSON block at all.
 * All edits of one block form a group, so a block is minified entirely or not at all. Optionally (off by
 * default, see dataNotation.ts) pipe tables become `header:value|…` lines and transcript labels Q:/A:.
 */
export const dataStrategy: Strategy<typeof options> = {
  id: 'format.data',
  label: 'Data blocks',
  description:
    'Minifies JSON blocks (fenced or standalone) that parse, keys and values byte-identical; optionally rewrites tables as header:value lines and transcript labels as Q:/A:.',
  lossy: false,
  defaultEnabled: true,
  idempotent: true,
  options,
  run(text, o, ctx) {
    const edits: ProposedEdit[] = [
      ...(o.tablesToLines ? tableLineEdits(text, ctx) : []),
      ...(o.qaLabels ? qaLabelEdits(text, ctx) : []),
    ];
    if (!o.minifyJson) return edits.sort((a, b) => a.start - b.start || a.end - b.end);
    const lineOf = lineNumberer(text);
    // detected afresh, not taken from ctx.spans: an earlier stage may have made a block parse (a non-breaking
    // space between tokens is not JSON whitespace)
    for (const span of detectBlocks(text).spans) {
      if (span.kind !== 'json-block') continue;
      const line = lineOf(span.start);
      const group = `json@${span.start}`;
      // first and last token: whitespace before and after them belongs to the layout around the block
      let first = span.start;
      while (first < span.end && /\s/.test(text[first]!)) first++;
      let last = span.end;
      while (last > first && /\s/.test(text[last - 1]!)) last--;
      let inString = false;
      for (let i = first; i < last; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
          if (c === 92) i++;
          else if (c === 34) inString = false;
          continue;
        }
        if (c === 34) {
          inString = true;
          continue;
        }
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13) continue;
        let j = i;
        while (j < last && /[ \t\r\n]/.test(text[j]!)) j++;
        edits.push({
          ruleId: 'json.minify',
          start: i,
          end: j,
          after: '',
          group,
          reason: `Whitespace between the tokens of the JSON block at line ${line} carries no meaning; keys and values stay byte-identical.`,
        });
        i = j - 1;
      }
    }
    return edits.sort((a, b) => a.start - b.start || a.end - b.end);
  },
};
