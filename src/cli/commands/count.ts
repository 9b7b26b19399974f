import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { EXIT, UsageError, type CliIo } from '../io';
import { errorLine, formatUsd, int, perMTok } from '../format';

export const COUNT_HELP = `Usage: promptpress count FILE [--model ID] [--json]

Counts the tokens of a prompt file and prices it as one input request.

Options:
  -m, --model ID   model from \`promptpress models\` (default: gpt-4o)
      --json       print one JSON object for machines
`;

export async function countCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm', default: 'gpt-4o' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(COUNT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('count takes exactly one FILE.');
  const file = path.resolve(io.cwd, positionals[0]!);
  const result = await call(backend, 'tokens.countFile', { path: file, model: values.model });
  if (!result.ok) {
    if (values.json) io.stdout(JSON.stringify({ ok: false, error: result.error }, null, 2) + '\n');
    io.stderr(errorLine(result.error));
    return EXIT.error;
  }
  const c = result.data;
  if (values.json) {
    io.stdout(
      JSON.stringify(
        {
          file: c.path,
          bytes: c.size,
          characters: c.characters,
          model: c.model,
          encoding: c.encoding,
          tokens: c.tokens,
          method: c.method,
          cost: {
            inputUsd: c.cost.usd,
            inputPerMTokUsd: c.cost.perMTok,
            currency: 'USD',
            basis: 'one uncached input request',
          },
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const approx = c.method === 'exact' ? '' : '≈';
    io.stdout(
      `${positionals[0]}\n` +
        `  tokens  ${approx}${int(c.tokens)} (${c.encoding}, ${c.method})\n` +
        `  cost    ${formatUsd(c.cost.usd)} as one input to ${c.model} (${perMTok(c.cost.perMTok)})\n`,
    );
  }
  return EXIT.ok;
}
