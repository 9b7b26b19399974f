/**
 * Small OpenAI conversations made to hit what tau-bench does not: arguments whose JSON JavaScript and
 * Python write differently (integer-like keys, floats, big integers, escapes), text beyond the BMP where a
 * truncation cuts, lone surrogates, JavaScript-only whitespace, several and late system messages, a
 * developer prompt, names, content parts, parallel calls, reused call ids, arguments that are not JSON,
 * orphan tool results, refusals. They are written through the repo's importer and exporter first
 * (normalised), as a PromptPress export of a history would give them.
 */
import { exportOpenAI, importHistory } from '../../../../src/core/history/formats';
import type { Message } from './harness';

const call = (id: string, name: string, args: string) => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
});

const emoji = '😀🧪🇫🇷'; // two surrogate pairs per flag letter, one per face
const long = (seed: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `${seed}${i % 7 === 0 ? emoji : ''}${i % 11 === 0 ? ' 東京 ' : ' '}`,
  ).join('');

const WEIRD_ARGS = String.raw`{"b": 1, "2": "x", "1": [1.0, 1e21, 1e-7, 0.1, 123456789012345678901234567890, -0.0, 5e-324, 1.7976931348623157e308, 1e400, 100, 2.5e-5, 0.000001], "s": "é\u00e9\ud83d\ude00\n\t\u0001\u007f\u2028\"\\", "4294967295": true, "4294967294": null, "01": 0, "nested": {"10": {}, "9": []}}`;

export const RAW_CONVERSATIONS: Array<{ messages: unknown[] }> = [
  {
    messages: [
      { role: 'system', content: 'You are a careful agent. Use the tools; keep answers short.' },
      { role: 'user', content: `Hello ${emoji}, please look up my booking.` },
      { role: 'assistant', content: null, tool_calls: [call('c1', 'lookup', WEIRD_ARGS)] },
      { role: 'tool', tool_call_id: 'c1', name: 'lookup', content: long('booking-line', 120) },
      { role: 'assistant', content: 'Found it. Anything else?' },
      { role: 'user', content: '\u00a0\ufeff' },
      { role: 'assistant', content: null, tool_calls: [call('c2', 'lookup', WEIRD_ARGS)] },
      { role: 'tool', tool_call_id: 'c2', name: 'lookup', content: long('booking-line', 120) },
      { role: 'user', content: '\u001c\u0085 (Python calls these spaces, JavaScript does not)' },
      { role: 'assistant', content: null, tool_calls: [call('c3', 'lookup', WEIRD_ARGS)] },
      { role: 'tool', tool_call_id: 'c3', name: 'lookup', content: long('booking-line', 120) },
      { role: 'user', content: `A lone surrogate \ud800 and a pair ${emoji}${emoji}${emoji}` },
      { role: 'assistant', content: `${emoji.repeat(40)} done` },
      { role: 'user', content: 'Thanks!' },
    ],
  },
  {
    messages: [
      {
        role: 'developer',
        content: [
          { type: 'text', text: 'Developer rules.' },
          { type: 'text', text: 'Part two.' },
        ],
      },
      { role: 'assistant', content: 'Welcome! (an assistant speaks first)' },
      {
        role: 'user',
        name: 'ana',
        content: [
          { type: 'text', text: 'Two things:' },
          { type: 'text', text: 'weather and time.' },
        ],
      },
      {
        role: 'assistant',
        content: '',
        tool_calls: [call('p1', 'weather', '{"city":"Paris"}'), call('p2', 'clock', '"UTC"')],
      },
      { role: 'tool', tool_call_id: 'p1', content: 'Sunny, 21°C. '.repeat(30) },
      { role: 'tool', tool_call_id: 'p2', content: '12:00' },
      { role: 'system', content: 'A late system message (moved into the system prompt).' },
      { role: 'assistant', content: 'Sunny and noon.', refusal: 'none' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'And this picture?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [call('p1', 'weather', 'not json'), call('p3', 'clock', ''), call('p4', 'calc', '5')],
      },
      { role: 'tool', tool_call_id: 'p1', content: 'Cloudy. '.repeat(40) },
      { role: 'tool', tool_call_id: 'p3', content: '' },
      { role: 'tool', tool_call_id: 'p4', content: 'Sunny, 21°C. '.repeat(30) },
      { role: 'user', content: 'ok' },
      { role: 'tool', tool_call_id: 'zz', content: 'an orphan result after a user message' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [call('p5', 'calc', 'null'), call('p6', 'calc', '[1, 2]')],
      },
      { role: 'tool', tool_call_id: 'p5', content: 'Cloudy. '.repeat(40) },
      { role: 'tool', tool_call_id: 'p6', content: '3' },
      { role: 'user', content: 'ok' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Parts ' },
          { type: 'text', text: 'answer.' },
        ],
      },
      { role: 'user', content: 'ok' },
    ],
  },
  {
    messages: [
      {
        role: 'tool',
        tool_call_id: 'before',
        content: 'a result before anything (dropped from every request)',
      },
      { role: 'user', content: `Long one: ${long('x', 400)}` },
      {
        role: 'assistant',
        content: null,
        tool_calls: [call('q1', 'search', '{"q": "a\\u0000b", "n": 1E2}')],
      },
      { role: 'tool', tool_call_id: 'q1', content: emoji.repeat(300) },
      { role: 'assistant', content: 'Here.' },
      { role: 'user', content: 'Again.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [call('q2', 'search', '{"n": 100, "q": "a\\u0000b"}')],
      },
      { role: 'tool', tool_call_id: 'q2', content: emoji.repeat(300) },
      { role: 'assistant', content: 'Here.' },
      { role: 'user', content: 'Again.' },
      { role: 'assistant', content: 'Here.' },
      { role: 'user', content: 'Last.' },
    ],
  },
];

/** The conversations as a PromptPress export writes them (import, then export), as one JSON file. */
export function normalisedCorpus(): { text: string; fileName: string; conversations: Message[][] } {
  const fileName = 'synthetic.json';
  const imported = importHistory(JSON.stringify(RAW_CONVERSATIONS), fileName).conversations;
  const conversations = imported.map((c) => exportOpenAI(c).messages);
  return { text: JSON.stringify(conversations.map((messages) => ({ messages }))), fileName, conversations };
}
