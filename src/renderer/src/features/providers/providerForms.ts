import type { ErrorPayload } from '../../../../shared/errors';
import type {
  EndpointDraft,
  ProviderLimits,
  ProviderList,
  ProviderStatus,
  ProviderTestResult,
} from '../../../../shared/providers';

/** The provider form as typed: every field a string, checked when saved. */
export interface ProviderDraft {
  id: string;
  kind: 'openai' | 'anthropic';
  label: string;
  baseURL: string;
  keyEnvVar: string;
  /** Write-only: always starts empty, and is cleared once sent. */
  key: string;
  concurrency: string;
  rpm: string;
  tpm: string;
}

export type DraftField = keyof ProviderDraft;
export type FieldErrors = Partial<Record<DraftField, string>>;

export const LIMIT_FIELDS = [
  { key: 'concurrency', label: 'Concurrent calls', placeholder: 'no limit' },
  { key: 'rpm', label: 'Requests / min', placeholder: 'no limit' },
  { key: 'tpm', label: 'Tokens / min', placeholder: 'no limit' },
] as const;

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

/** The form for a provider, or an empty one for a new OpenAI-compatible endpoint. */
export function draftFrom(p: ProviderStatus | undefined): ProviderDraft {
  return {
    id: p?.id ?? '',
    kind: p?.kind ?? 'openai',
    label: p?.label ?? '',
    baseURL: p?.baseURL ?? '',
    keyEnvVar: p?.keyEnvVar ?? '',
    key: '',
    concurrency: text(p?.limits.concurrency),
    rpm: text(p?.limits.rpm),
    tpm: text(p?.limits.tpm),
  };
}

/** True when the form differs from what is saved (a typed key counts as a change). */
export function isDirty(draft: ProviderDraft, p: ProviderStatus | undefined): boolean {
  const saved = draftFrom(p);
  return (Object.keys(saved) as DraftField[]).some((k) => draft[k].trim() !== saved[k]);
}

/**
 * The `providers.save` endpoint for a form, checked as the backend will check it (so a typo never leaves
 * the form); the backend checks again. A built-in sends only its limits.
 */
export function buildEndpoint(
  draft: ProviderDraft,
  p: ProviderStatus | undefined,
): { endpoint: EndpointDraft } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const limits: ProviderLimits = {};
  for (const { key } of LIMIT_FIELDS) {
    const raw = draft[key].trim().replace(/[,_\s]/g, '');
    if (raw === '') continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
      errors[key] = 'A whole number of 1 or more, or empty for no limit.';
    } else limits[key] = n;
  }
  if (p?.builtIn) return Object.keys(errors).length ? { errors } : { endpoint: { id: p.id, limits } };
  if (!draft.label.trim()) errors.label = 'Give the endpoint a name.';
  if (!draft.baseURL.trim()) errors.baseURL = 'Give the API base URL, e.g. http://localhost:11434/v1.';
  else if (!/^https?:\/\/\S+$/i.test(draft.baseURL.trim())) {
    errors.baseURL = 'A URL starting with https:// (or http:// for a local server).';
  }
  const envVar = draft.keyEnvVar.trim();
  if (envVar && !/^[A-Z][A-Z0-9_]*_API_KEY$/.test(envVar)) {
    errors.keyEnvVar = 'An upper-case name ending in _API_KEY, such as GROQ_API_KEY.';
  }
  if (/\s/.test(draft.key.trim())) errors.key = 'A key has no spaces or line breaks.';
  const id = draft.id.trim();
  if (!p && id && !/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
    errors.id = 'Lower-case letters, digits, ".", "_" or "-".';
  }
  if (Object.keys(errors).length) return { errors };
  return {
    endpoint: {
      ...(p ? { id: p.id } : id ? { id } : {}),
      kind: draft.kind,
      label: draft.label.trim(),
      baseURL: draft.baseURL.trim(),
      keyEnvVar: envVar || null,
      limits,
    },
  };
}

const FIELDS = new Set<string>([
  'id',
  'kind',
  'label',
  'baseURL',
  'keyEnvVar',
  'key',
  'concurrency',
  'rpm',
  'tpm',
]);

/** The form field a server error names (`details.field`, or a schema path such as `endpoint.limits.rpm`). */
export function errorField(error: ErrorPayload): DraftField | undefined {
  const d = error.details as { field?: unknown; fields?: Array<{ path?: unknown }> } | undefined;
  const path = typeof d?.field === 'string' ? d.field : d?.fields?.[0]?.path;
  if (typeof path !== 'string') return undefined;
  const last = path.split('.').at(-1)!;
  return FIELDS.has(last) ? (last as DraftField) : undefined;
}

/** "…1234" or "set" for a key too short to show any of. */
const shown = (p: ProviderStatus) => (p.last4 ? `…${p.last4}` : 'set');

/** One short line for the provider list: "…1234 · GROQ_API_KEY", "…1234 · this session", "No key". */
export function keyLine(p: ProviderStatus): string {
  if (!p.configured) return 'No key';
  const where = { env: p.keyEnvVar ?? 'environment', stored: 'saved', session: 'this session', none: '' };
  return `${shown(p)} · ${where[p.keySource]}`;
}

/** Where the key of `p` comes from and what that means, in a sentence. */
export function keySentence(p: ProviderStatus, storage: ProviderList['keyStorage']): string {
  const orEnv = p.keyEnvVar ? ` or set ${p.keyEnvVar} before starting PromptPress` : '';
  switch (p.keySource) {
    case 'env':
      return `Key ${shown(p)} from the environment variable ${p.keyEnvVar}. A key entered here is used instead.`;
    case 'stored':
      return `Key ${shown(p)}, encrypted by your system's keychain.`;
    case 'session':
      return `Key ${shown(p)}, kept in memory until PromptPress stops${p.keyEnvVar ? `; set ${p.keyEnvVar} to keep it` : ''}.`;
    default:
      return storage === 'encrypted'
        ? `No key yet. Enter one below (it is encrypted by your system's keychain)${orEnv}.`
        : `No key yet. Enter one below (kept in memory until PromptPress stops)${orEnv}.`;
  }
}

/** "Connected in 142 ms · 12 models", or what the fallback call did. */
export function testLine(r: ProviderTestResult): string {
  const ms = `${Math.max(1, Math.round(r.latencyMs)).toLocaleString('en-US')} ms`;
  if (r.method === 'models') {
    const n = r.modelCount ?? 0;
    return `Connected in ${ms} · ${n.toLocaleString('en-US')} ${n === 1 ? 'model' : 'models'} found`;
  }
  const how = r.method === 'count_tokens' ? 'a token count' : 'a 1-token completion';
  return `Connected in ${ms} · ${how} of ${r.model} (the endpoint does not list its models)`;
}
