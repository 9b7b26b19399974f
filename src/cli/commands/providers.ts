import { parseArgs } from 'node:util';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import type { ErrorPayload } from '../../shared/errors';
import type { ProviderStatus, ProviderTestResult } from '../../shared/providers';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';
import { int, table } from '../format';

export const PROVIDERS_HELP = `Usage: promptpress providers list [--json]
       promptpress providers test [ID ...] [--model NAME] [--json]

The model providers PromptPress can call: Anthropic, OpenAI and the OpenAI-compatible endpoints added in the
app (saved in the app data folder). The CLI reads keys from the environment only: ANTHROPIC_API_KEY,
OPENAI_API_KEY, and each endpoint's own variable (GROQ_API_KEY…). Keys are shown by their last 4 characters.

  list            each provider: id, protocol, base URL, where its key comes from, its limits
  test [ID ...]   checks every provider that has a key (or the ones named) with the cheapest call it
                  offers: the model list, else a free token count (Anthropic) or a 1-token completion.
                  Exits 2 when a check fails or no provider has a key to check.

Options:
      --model NAME  the model to call when an endpoint does not list its models
      --json        print JSON for machines
`;

/** "…1234 from GROQ_API_KEY", "…1234 stored in the app", "none (set GROQ_API_KEY)". */
export function keyText(p: ProviderStatus): string {
  if (!p.configured) return p.keyEnvVar ? `none (set ${p.keyEnvVar})` : 'none';
  const shown = p.last4 ? `…${p.last4}` : 'set';
  if (p.keySource === 'env') return `${shown} from ${p.keyEnvVar ?? 'the environment'}`;
  return `${shown} ${p.keySource === 'stored' ? 'stored in the app' : 'for this session'}`;
}

/** "4 at once, 60 req/min, 100,000 tok/min", or "-" without limits. */
export function limitsText(p: ProviderStatus): string {
  const parts = [
    p.limits.concurrency !== undefined ? `${int(p.limits.concurrency)} at once` : '',
    p.limits.rpm !== undefined ? `${int(p.limits.rpm)} req/min` : '',
    p.limits.tpm !== undefined ? `${int(p.limits.tpm)} tok/min` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : '-';
}

interface Outcome {
  provider: ProviderStatus;
  result?: ProviderTestResult;
  error?: ErrorPayload;
}

const ms = (n: number) => `${int(Math.round(n))} ms`;

function report(outcomes: Outcome[], skipped: ProviderStatus[]): string {
  const rows = outcomes.map(({ provider, result, error }) => [
    provider.id,
    result ? 'ok' : error!.code,
    result ? ms(result.latencyMs) : '-',
    result?.modelCount != null ? int(result.modelCount) : '-',
    keyText(provider),
  ]);
  let out = table(['provider', 'result', 'latency', 'models', 'key'], rows, ['l', 'l', 'r', 'r', 'l']);
  for (const { provider, error } of outcomes) if (error) out += `  ${provider.id}: ${error.message}\n`;
  for (const p of skipped) out += `skipped ${p.id}: no key${p.keyEnvVar ? ` (set ${p.keyEnvVar})` : ''}\n`;
  return out;
}

async function testProviders(
  backend: Backend,
  io: CliIo,
  ids: string[],
  model: string | undefined,
  json: boolean,
): Promise<number> {
  const listed = await call(backend, 'providers.list', {});
  if (!listed.ok) return fail(io, listed.error, json);
  const all = listed.data.providers;
  const unknown = ids.filter((id) => !all.some((p) => p.id === id));
  if (unknown.length) {
    throw new UsageError(`no provider ${unknown.join(', ')} (known: ${all.map((p) => p.id).join(', ')}).`);
  }
  // named providers are checked even without a key, so the answer says which key is missing
  const chosen = ids.length ? all.filter((p) => ids.includes(p.id)) : all.filter((p) => p.configured);
  const skipped = ids.length ? [] : all.filter((p) => !p.configured);
  const outcomes = await Promise.all(
    chosen.map(async (provider): Promise<Outcome> => {
      const r = await call(backend, 'providers.test', { id: provider.id, ...(model ? { model } : {}) });
      return r.ok ? { provider, result: r.data } : { provider, error: r.error };
    }),
  );
  const passed = outcomes.length > 0 && outcomes.every((o) => o.result);
  if (json) {
    printJson(io, {
      ok: passed,
      results: [
        ...outcomes.map(({ provider: p, result, error }) => ({
          id: p.id,
          label: p.label,
          keySource: p.keySource,
          last4: p.last4,
          status: result ? 'ok' : 'failed',
          ...(result ? { result } : { error }),
        })),
        ...skipped.map((p) => ({
          id: p.id,
          label: p.label,
          keySource: p.keySource,
          last4: null,
          status: 'skipped',
        })),
      ],
    });
  } else if (outcomes.length === 0) {
    io.stderr(
      "promptpress providers test: no provider has a key to check. Set ANTHROPIC_API_KEY, OPENAI_API_KEY or an endpoint's key variable.\n",
    );
  } else {
    io.stdout(report(outcomes, skipped));
  }
  return passed ? EXIT.ok : EXIT.checkFailed;
}

/** `promptpress providers list|test`. */
export async function providersCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(PROVIDERS_HELP);
    return EXIT.ok;
  }
  const [sub, ...rest] = positionals;
  if (sub === 'test') return testProviders(backend, io, rest, values.model?.trim() || undefined, values.json);
  if (sub !== 'list')
    throw new UsageError(sub ? `unknown providers subcommand "${sub}".` : 'say list or test.');
  if (rest.length) throw new UsageError('list takes no arguments.');
  if (values.model !== undefined) throw new UsageError('--model applies to test only.');
  const listed = await call(backend, 'providers.list', {});
  if (!listed.ok) return fail(io, listed.error, values.json);
  if (values.json) {
    printJson(io, listed.data);
    return EXIT.ok;
  }
  const rows = listed.data.providers.map((p) => [p.id, p.kind, p.baseURL, keyText(p), limitsText(p)]);
  io.stdout(table(['provider', 'protocol', 'base URL', 'key', 'limits'], rows));
  return EXIT.ok;
}
