import { WorkloadSchema, type Workload } from '../shared/contract';
import { UsageError } from './io';
import { int, percent } from './format';

type Kind = 'number' | 'int' | 'share' | 'ttl';

/** The keys of `--projection`, each with the workload field it sets; the help text is built from this list. */
export const PROJECTION_KEYS: Record<string, { field: keyof Workload; kind: Kind; help: string }> = {
  'requests-per-day': { field: 'requestsPerDay', kind: 'number', help: 'requests per day (default 1000)' },
  days: { field: 'days', kind: 'number', help: 'length of the period in days (default 30)' },
  output: { field: 'outputTokens', kind: 'int', help: 'average output tokens per request (default 500)' },
  'cache-hit': {
    field: 'cacheHitRate',
    kind: 'share',
    help: 'share of requests that hit the prompt cache, 0..1 or 80% (default 0)',
  },
  batch: { field: 'batchShare', kind: 'share', help: 'share of requests sent as batch, 0..1 (default 0)' },
  ttl: { field: 'ttl', kind: 'ttl', help: 'Anthropic cache lifetime, 5m or 1h (default 5m)' },
  embeddings: { field: 'embeddingTokensPerDay', kind: 'number', help: 'embedding tokens per day (optional)' },
  'embedding-price': {
    field: 'embeddingPerMTok',
    kind: 'number',
    help: 'embedding price in $ per 1M tokens (needed with embeddings)',
  },
  other: { field: 'otherMonthlyUsd', kind: 'number', help: 'other costs in $ per 30 days (optional)' },
};

export const PROJECTION_HELP = Object.entries(PROJECTION_KEYS)
  .map(([key, k]) => `${' '.repeat(26)}${key.padEnd(18)}${k.help}`)
  .join('\n');

const NUMBER = /^[+-]?(\d[\d_]*(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function value(key: string, kind: Kind, raw: string): number | string {
  const bad = (what: string) => new UsageError(`--projection: ${key} must be ${what}, got "${raw}".`);
  if (kind === 'ttl') {
    if (raw !== '5m' && raw !== '1h') throw bad('5m or 1h');
    return raw;
  }
  if (kind === 'share' && raw.endsWith('%')) {
    const pct = raw.slice(0, -1);
    if (!NUMBER.test(pct)) throw bad('a share between 0 and 1 or a percentage');
    const n = Number(pct.replace(/_/g, '')) / 100;
    if (n < 0 || n > 1) throw bad('a share between 0 and 1 or a percentage');
    return n;
  }
  if (!NUMBER.test(raw)) throw bad(kind === 'share' ? 'a share between 0 and 1' : 'a number');
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw bad('a non-negative number');
  if (kind === 'share' && n > 1) throw bad('a share between 0 and 1 or a percentage');
  if (kind === 'int' && !Number.isInteger(n)) throw bad('a whole number of tokens');
  return n;
}

/**
 * Parses `requests-per-day=1000,days=30,output=500,cache-hit=0.8,batch=0.2,ttl=1h` into a workload,
 * throwing a UsageError that names the key for an unknown key, a repeated key or a bad value.
 */
export function parseProjection(spec: string): Workload {
  const raw: Record<string, unknown> = {};
  const seen = new Map<string, string>();
  const parts = spec.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new UsageError('--projection needs KEY=VALUE pairs.');
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--projection: "${part}" is not KEY=VALUE.`);
    const key = part.slice(0, eq).trim().toLowerCase();
    const text = part.slice(eq + 1).trim();
    const def = PROJECTION_KEYS[key];
    if (!def) {
      throw new UsageError(
        `--projection: unknown key "${key}" (known keys: ${Object.keys(PROJECTION_KEYS).join(', ')}).`,
      );
    }
    if (seen.has(key)) throw new UsageError(`--projection: ${key} is given twice.`);
    seen.set(key, text);
    raw[def.field] = value(key, def.kind, text);
  }
  if (raw.embeddingTokensPerDay !== undefined && raw.embeddingPerMTok === undefined) {
    throw new UsageError('--projection: embeddings needs embedding-price (in $ per 1M tokens).');
  }
  const parsed = WorkloadSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    const key = Object.keys(PROJECTION_KEYS).find((k) => PROJECTION_KEYS[k]!.field === field) ?? field;
    throw new UsageError(`--projection: ${key}=${seen.get(key) ?? ''}: ${issue.message}.`);
  }
  return parsed.data;
}

/** One line describing a workload, e.g. "1,000 requests/day × 30 days, 500 output tokens, cache hit 80% (5m)". */
export function describeWorkload(w: Workload, days = w.days): string {
  const parts = [
    `${int(w.requestsPerDay)} requests/day × ${int(days)} days`,
    `${int(w.outputTokens)} output tokens each`,
    w.cacheHitRate > 0 ? `cache hit ${percent(w.cacheHitRate)} (${w.ttl})` : 'no cache hits',
    w.batchShare > 0 ? `batch ${percent(w.batchShare)}` : 'no batch',
  ];
  if (w.embeddingTokensPerDay) parts.push(`${int(w.embeddingTokensPerDay)} embedding tokens/day`);
  if (w.otherMonthlyUsd) parts.push(`$${w.otherMonthlyUsd}/30 days other`);
  return parts.join(', ');
}
