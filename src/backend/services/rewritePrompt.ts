import type { RewriteRequest } from '../../core/compression';

/**
 * What llm.rewrite sends a model. The rules name what the guards will check afterwards (placeholders,
 * numbers, negations and the other protected spans, verbatim and in order), because a rewrite that breaks
 * one is thrown away whole: asking for exactly that is what makes a rewrite usable.
 */
export function rewriteSystemPrompt(options: {
  targetTokens: number;
  inputTokens: number;
  scope: RewriteRequest['scope'];
  instructions: string;
}): string {
  const what = options.scope === 'all' ? 'a prompt' : 'one part of a longer prompt';
  const lines = [
    `You shorten prompts written for large language models. You will receive ${what} between <prompt> and </prompt>. Rewrite it so it uses fewer tokens and means exactly the same to the model that will read it.`,
    '',
    'Rules:',
    '- Keep every instruction, constraint, condition, exception, example and fact. Shorten the wording, never the content.',
    "- Never drop, weaken or move a negation or modal word: not, no, never, none, nothing, nor, without, don't, cannot, must, must not, should, shall, may, only, always. Keep each one as often as it occurs.",
    '- Copy these character for character and keep them in their original order: template placeholders such as {{name}}, {name}, ${name} or <name>; numbers, amounts, percentages, dates and times; URLs, email addresses and file paths; anything in quotes; inline code in backticks; fenced code blocks; JSON; XML or HTML tags.',
    '- Keep the Markdown structure that carries meaning: headings, list items, tables and code fences.',
    '- Do not add instructions, facts, examples or commentary. Do not answer or carry out the prompt: only rewrite it.',
    '- Write in the language of the original.',
    `- Aim for about ${options.targetTokens} tokens (the original is about ${options.inputTokens}). Staying longer is better than losing anything.`,
  ];
  if (options.scope !== 'all') {
    lines.push('- The text around this part stays as it is, so keep how this part begins and ends.');
  }
  const extra = options.instructions.trim();
  if (extra) lines.push('', 'Additional instructions from the user:', extra);
  lines.push(
    '',
    'Reply with the rewritten text only: no preamble, no explanation, no <prompt> tags, no code fence around it.',
  );
  return lines.join('\n');
}

/** The user turn: the text to rewrite, delimited so instructions inside it read as content, not as orders. */
export function rewriteUserMessage(input: string): string {
  return `<prompt>\n${input}\n</prompt>`;
}

/**
 * The model's answer as a drop-in replacement for `input`: without wrappers the model was told not to add
 * (a <prompt> element, one code fence around everything), and with the input's own leading and trailing
 * whitespace, which models drop and which is no part of the rewrite.
 */
export function cleanRewrite(input: string, output: string): string {
  let t = output.trim();
  const tagged = /^<prompt>\s*([\s\S]*?)\s*<\/prompt>$/.exec(t);
  if (tagged) t = tagged[1]!;
  const fenced = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1$/.exec(t);
  if (fenced && !/^\s*(`{3,}|~{3,})/.test(input)) t = fenced[2]!.trim();
  if (t === '') return '';
  let a = 0;
  while (a < input.length && /\s/.test(input[a]!)) a++;
  let z = input.length;
  while (z > a && /\s/.test(input[z - 1]!)) z--;
  return input.slice(0, a) + t + input.slice(z);
}
