import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';
import { formatUsd, int, perMTok } from '../format';
import { PROJECTION_HELP, parseProjection } from '../projection';
import { countModelsTable } from './countTable';
import { countRequestFile } from './countRequest';

export const COUNT_HELP = `Usage: promptpress count FILE [--model ID] [--json]
       promptpress count FILE --models A,B,C [--projection KEY=VALUE,...] [--compressed FILE2] [--json]
       promptpress count --messages REQUEST.json [--model ID] [--json]

Counts the tokens of a prompt file and prices it.

  With --model (or neither option), one model: tokens and the cost of one input request.
  With --models, a table per model: tokens (≈ marks an estimate), count method, $ per request, per 1k
  requests and per month (30 days at the default workload or the --projection one), then the warnings
  (models without a price, estimated counts). A model without a price shows "no price", never $0.

Options:
  -m, --model ID          model from \`promptpress models\` (default: gpt-4o)
      --models A,B,C      several models, comma-separated
      --projection SPEC   project a workload over a period per model: total and its breakdown into input,
                          output, cache, embeddings and other. SPEC is KEY=VALUE pairs separated by commas:
${PROJECTION_HELP}
                          e.g. --projection requests-per-day=1000,days=30,output=500,cache-hit=0.8,batch=0.2
      --compressed FILE2  a compressed version of FILE: projected side by side with the saving
                          (uses the default workload when --projection is not given)
      --messages FILE     count a whole chat request as billed: an OpenAI chat request body or a bare
                          messages array (JSON); shows messages, per-message overhead and tool definitions
      --json              print one JSON object for machines

Examples:
  promptpress count prompt.md --models gpt-4o,claude-sonnet-4-5,gemini-2.5-flash
  promptpress count prompt.md --models gpt-4o --projection requests-per-day=5000,cache-hit=80% --compressed short.md
  promptpress count --messages request.json --model gpt-4o-mini
`;

function modelList(spec: string): string[] {
  const ids = spec.split(',').map((s) => s.trim());
  if (ids.some((id) => id === '')) throw new UsageError(`--models: empty model id in "${spec}".`);
  return [...new Set(ids)];
}

export async function countCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm' },
      models: { type: 'string' },
      projection: { type: 'string' },
      compressed: { type: 'string' },
      messages: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(COUNT_HELP);
    return EXIT.ok;
  }
  const json = values.json;
  if (values.model !== undefined && values.models !== undefined) {
    throw new UsageError('use either --model or --models, not both.');
  }

  if (values.messages !== undefined) {
    if (positionals.length > 0) throw new UsageError('--messages takes the request file; give no FILE.');
    for (const flag of ['models', 'projection', 'compressed'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--messages counts one request; drop --${flag}.`);
    }
    return countRequestFile(backend, io, values.messages, values.model ?? 'gpt-4o', json);
  }

  if (positionals.length !== 1) throw new UsageError('count takes exactly one FILE.');
  const file = positionals[0]!;
  const workload = values.projection !== undefined ? parseProjection(values.projection) : undefined;
  if (values.models !== undefined || workload !== undefined || values.compressed !== undefined) {
    return countModelsTable(backend, io, {
      file,
      models: values.models !== undefined ? modelList(values.models) : [values.model ?? 'gpt-4o'],
      workload,
      compressed: values.compressed,
      json,
    });
  }

  const result = await call(backend, 'tokens.countFile', {
    path: path.resolve(io.cwd, file),
    model: values.model ?? 'gpt-4o',
  });
  if (!result.ok) return fail(io, result.error, json);
  const c = result.data;
  if (json) {
    printJson(io, {
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
    });
  } else {
    const approx = c.method === 'exact' ? '' : '≈';
    io.stdout(
      `${file}\n` +
        `  tokens  ${approx}${int(c.tokens)} (${c.encoding}, ${c.method})\n` +
        `  cost    ${formatUsd(c.cost.usd)} as one input to ${c.model} (${perMTok(c.cost.perMTok)})\n`,
    );
  }
  return EXIT.ok;
}
