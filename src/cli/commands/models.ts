import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import type { ModelEntry } from '../../core/pricing/catalog';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';
import { dollars, int, table } from '../format';

export const MODELS_HELP = `Usage: promptpress models [--provider P] [--search TEXT] [--json]
       promptpress models import-litellm FILE [--json]

Lists the models in the price catalog (bundled, imported from LiteLLM, or your own overrides): provider,
prices in US$ per 1M tokens (input, output, cache read, batch input/output), context window, how tokens are
counted (exact, or ≈ estimate with a stand-in tokenizer) and the as of date (when the prices were checked).
"no price" means the catalog has no price for the model; "-" means the provider does not offer it.

  import-litellm FILE   merge a LiteLLM model_prices_and_context_window.json into the catalog (it replaces
                        any earlier import; your own overrides still win). Prints added/updated/skipped.
                        A malformed file changes nothing.

Options:
      --provider P      only models from this provider or host (anthropic, openai, google, groq, …)
      --search TEXT     only models whose id, name, provider or host contains TEXT (any case)
      --json            print JSON for machines (the list: an array of catalog entries)
`;

/** A price cell: "no price" for a missing price, "-" for something the provider does not offer. */
function price(p: number | null | undefined): string {
  if (p === undefined) return '-';
  return p === null ? 'no price' : dollars(p);
}

function matches(m: ModelEntry, provider: string | undefined, search: string | undefined): boolean {
  if (provider !== undefined) {
    const want = provider.toLowerCase();
    if (m.provider.toLowerCase() !== want && m.host?.toLowerCase() !== want) return false;
  }
  if (search !== undefined) {
    const hay = [m.id, m.label, m.provider, m.host ?? ''].join('\n').toLowerCase();
    if (!hay.includes(search.toLowerCase())) return false;
  }
  return true;
}

function listTable(models: ModelEntry[]): string {
  const rows = models.map((m) => [
    m.id,
    m.host ? `${m.provider} via ${m.host}` : m.provider,
    price(m.inputPerMTok),
    price(m.outputPerMTok),
    price(m.cacheReadPerMTok),
    m.batchInputPerMTok === undefined && m.batchOutputPerMTok === undefined
      ? '-'
      : `${price(m.batchInputPerMTok)} / ${price(m.batchOutputPerMTok)}`,
    int(m.contextWindow),
    m.tokenCountMethod === 'exact' ? 'exact' : '≈ estimate',
    m.asOf,
  ]);
  return table(
    ['model', 'provider', 'input', 'output', 'cache read', 'batch in / out', 'context', 'count', 'as of'],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  );
}

async function importLiteLlm(backend: Backend, io: CliIo, file: string, json: boolean): Promise<number> {
  const result = await call(backend, 'models.importLiteLlm', { path: path.resolve(io.cwd, file) });
  if (!result.ok) return fail(io, result.error, json);
  const r = result.data;
  if (json) {
    printJson(io, { file, ...r });
    return EXIT.ok;
  }
  const list = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');
  io.stdout(
    `Imported ${file}: ${r.added.length} added, ${r.updated.length} updated, ${r.skipped} skipped ` +
      `(not text-generation models, or without a per-token price or context window).\n` +
      `  added    ${list(r.added)}\n` +
      `  updated  ${list(r.updated)}\n` +
      `The catalog now has ${int(r.total)} models.\n`,
  );
  return EXIT.ok;
}

export async function modelsCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      search: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(MODELS_HELP);
    return EXIT.ok;
  }
  const [sub, ...rest] = positionals;
  if (sub === 'import-litellm') {
    if (rest.length !== 1) throw new UsageError('import-litellm takes exactly one FILE.');
    if (values.provider !== undefined || values.search !== undefined) {
      throw new UsageError('--provider and --search filter the list; they do not apply to import-litellm.');
    }
    return importLiteLlm(backend, io, rest[0]!, values.json);
  }
  if (sub !== undefined) throw new UsageError(`unknown models subcommand "${sub}".`);
  for (const flag of ['provider', 'search'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '')
      throw new UsageError(`--${flag} needs a value.`);
  }

  const result = await call(backend, 'models.list', {});
  if (!result.ok) return fail(io, result.error, values.json);
  const models = result.data.models.filter((m) => matches(m, values.provider, values.search));
  if (values.json) {
    printJson(io, models);
    return EXIT.ok;
  }
  if (models.length === 0) {
    io.stdout('No model in the catalog matches. Run `promptpress models` for the full list.\n');
    return EXIT.ok;
  }
  const dates = [...new Set(models.map((m) => m.asOf))].sort();
  const asOf = dates.length === 1 ? dates[0] : `${dates[0]} to ${dates[dates.length - 1]}`;
  io.stdout(
    `${listTable(models)}\n${int(models.length)} model${models.length === 1 ? '' : 's'}; prices in US$ per 1M ` +
      `tokens, as of ${asOf} (see each entry's source in --json).\n`,
  );
  return EXIT.ok;
}
