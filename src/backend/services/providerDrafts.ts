import { AppError } from '../../shared/errors';
import {
  BUILT_IN_PROVIDERS,
  KEY_ENV_VAR_PATTERN,
  type EndpointDraft,
  type ProviderLimits,
} from '../../shared/providers';
import type { ProviderKind } from '../providers/types';
import type { StoredEndpoint } from '../storage/providerSettings';

/** An endpoint with everything filled in, built-in or the user's. */
export interface ResolvedEndpoint {
  id: string;
  kind: ProviderKind;
  label: string;
  builtIn: boolean;
  /** Undefined for a built-in on its public API (the SDK's default). */
  baseURL: string | undefined;
  keyEnvVar: string | null;
  limits: ProviderLimits;
}

const invalid = (field: string, message: string) => new AppError('INVALID_INPUT', message, { field });

/**
 * A base URL as saved: http(s) only, and without user info, query or fragment, since those are where a
 * credential would hide (`https://user:key@host`, `?api_key=…`) and settings are stored in plain JSON.
 */
export function checkBaseURL(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid(
      'baseURL',
      `"${value}" is not a URL. Give the API's base URL, e.g. https://api.groq.com/openai/v1.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('baseURL', `The base URL must start with https:// (or http:// for a local server).`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw invalid(
      'baseURL',
      'The base URL cannot carry a user name, password, query or fragment: a key goes in the key field or an environment variable, where it is kept safe.',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** A provider id from a label: "Groq Cloud" → "groq-cloud", unique among `taken`. */
export function idFromLabel(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+|-+$/g, '')
      .slice(0, 36) || 'endpoint';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function checkEnvVar(value: string | null | undefined): string | null {
  const name = value?.trim() ?? '';
  if (name === '') return null;
  if (!KEY_ENV_VAR_PATTERN.test(name)) {
    throw invalid(
      'keyEnvVar',
      `"${name}" cannot hold a key: use an upper-case name ending in _API_KEY, such as GROQ_API_KEY.`,
    );
  }
  return name;
}

const isBuiltIn = (id: string) => (BUILT_IN_PROVIDERS as readonly string[]).includes(id);

/**
 * Checks a `providers.save` draft against the endpoints there are and fills it in. A built-in takes only new
 * limits; a new endpoint needs a label and a base URL; a change keeps what the draft leaves out.
 * Fails with INVALID_INPUT naming the field (`details.field`).
 */
export function checkDraft(
  draft: EndpointDraft,
  create: boolean,
  existing: readonly ResolvedEndpoint[],
): ResolvedEndpoint {
  const byId = new Map(existing.map((e) => [e.id, e]));
  if (draft.id !== undefined && isBuiltIn(draft.id)) {
    const current = byId.get(draft.id)!;
    if (create) throw invalid('id', `"${draft.id}" is the built-in ${current.label}; choose another id.`);
    const changed = (['kind', 'label', 'baseURL', 'keyEnvVar'] as const).filter(
      (f) => draft[f] !== undefined && draft[f] !== current[f],
    );
    if (changed.length > 0) {
      throw invalid(changed[0]!, `${current.label} is built in: only its limits can change.`);
    }
    return { ...current, limits: draft.limits ?? current.limits };
  }
  if (create) {
    if (draft.id !== undefined && byId.has(draft.id)) {
      throw invalid('id', `A provider with the id "${draft.id}" already exists; choose another id.`);
    }
    if (!draft.label) throw invalid('label', 'Give the endpoint a name.');
    if (!draft.baseURL) throw invalid('baseURL', 'Give the API base URL, e.g. http://localhost:11434/v1.');
    return {
      id: draft.id ?? idFromLabel(draft.label, new Set(byId.keys())),
      kind: draft.kind ?? 'openai',
      label: draft.label,
      builtIn: false,
      baseURL: checkBaseURL(draft.baseURL),
      keyEnvVar: checkEnvVar(draft.keyEnvVar),
      limits: draft.limits ?? {},
    };
  }
  if (draft.id === undefined) throw invalid('id', 'Say which provider to change (its id).');
  const current = byId.get(draft.id);
  if (!current) throw invalid('id', `There is no provider "${draft.id}" to change.`);
  return {
    ...current,
    kind: draft.kind ?? current.kind,
    label: draft.label ?? current.label,
    baseURL: draft.baseURL !== undefined ? checkBaseURL(draft.baseURL) : current.baseURL,
    keyEnvVar: draft.keyEnvVar !== undefined ? checkEnvVar(draft.keyEnvVar) : current.keyEnvVar,
    limits: draft.limits ?? current.limits,
  };
}

/** The saved form of a user endpoint (absent fields left out, so the file stays small and diffable). */
export function forSave(e: ResolvedEndpoint): StoredEndpoint {
  return {
    id: e.id,
    kind: e.kind,
    label: e.label,
    baseURL: e.baseURL!,
    ...(e.keyEnvVar ? { keyEnvVar: e.keyEnvVar } : {}),
    ...(Object.keys(e.limits).length > 0 ? { limits: e.limits } : {}),
  };
}
