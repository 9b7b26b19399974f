import { AppError } from '../../shared/errors';
import type { Catalog } from '../../core/pricing/catalog';
import { createAnthropicProvider } from './anthropic';
import { createBatchClient, type BatchClient } from './batches';
import { createOpenAiProvider } from './openai';
import type { LlmProvider, ProviderEndpoint, ProviderKind, ProviderLimits, ProviderTransport } from './types';

/** Builds a provider of one wire protocol from an endpoint: one entry per protocol PromptPress speaks. */
export const PROVIDER_KINDS: Readonly<
  Record<ProviderKind, (endpoint: ProviderEndpoint, transport?: ProviderTransport) => LlmProvider>
> = {
  anthropic: createAnthropicProvider,
  openai: createOpenAiProvider,
};

/** What a UI may know about a provider: never its key. */
export interface ProviderInfo {
  id: string;
  label: string;
  kind: ProviderKind;
  configured: boolean;
}

/**
 * Providers by id. Built from endpoints (the two public APIs today; the provider settings add user-defined
 * OpenAI-compatible endpoints later through `set`), so a new provider is a new entry, not a new branch.
 */
export interface ProviderRegistry {
  /** The provider with this id; UNSUPPORTED naming the known ids when there is none. */
  get(id: string): LlmProvider;
  has(id: string): boolean;
  list(): ProviderInfo[];
  /** Adds or replaces the endpoint with `endpoint.id` (a key change rebuilds its SDK client). */
  set(endpoint: ProviderEndpoint): void;
  /** Drops the endpoint with this id (a user endpoint removed in the settings); unknown ids are ignored. */
  remove(id: string): void;
  /**
   * The batch API client of an endpoint (Anthropic Message Batches, OpenAI Files + Batches), with the same key
   * and base URL, pricing results with `catalog`. UNSUPPORTED for an unknown id.
   */
  batches(id: string, catalog?: () => Catalog): BatchClient;
}

export interface ProviderRegistryOptions extends ProviderTransport {
  anthropic?: { apiKey?: string; baseURL?: string; limits?: ProviderLimits };
  openai?: { apiKey?: string; baseURL?: string; limits?: ProviderLimits };
  /** More endpoints, e.g. `{ id: 'groq', kind: 'openai', baseURL: 'https://api.groq.com/openai/v1', … }`. */
  endpoints?: ProviderEndpoint[];
}

/**
 * The backend's providers. `anthropic` and `openai` are always present (unconfigured without a key, so a
 * call says which key is missing instead of "unknown provider"). Keys live only inside the providers.
 */
export function createProviderRegistry(options: ProviderRegistryOptions = {}): ProviderRegistry {
  // the transport part of the options only: endpoints and their keys are not passed to every provider
  const transport: ProviderTransport = {
    fetch: options.fetch,
    maxRetries: options.maxRetries,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    limits: options.limits,
    limitWindowMs: options.limitWindowMs,
    clock: options.clock,
    getCatalog: options.getCatalog,
  };
  const providers = new Map<string, LlmProvider>();
  const endpoints = new Map<string, ProviderEndpoint>();
  const set = (endpoint: ProviderEndpoint) => {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(endpoint.id)) {
      throw new AppError(
        'INVALID_INPUT',
        `A provider id is lower-case letters, digits, ".", "_" or "-": "${endpoint.id}".`,
        { field: 'id' },
      );
    }
    providers.set(endpoint.id, PROVIDER_KINDS[endpoint.kind](endpoint, transport));
    endpoints.set(endpoint.id, endpoint);
  };
  set({
    id: 'anthropic',
    kind: 'anthropic',
    label: 'Anthropic',
    keyHint: 'ANTHROPIC_API_KEY',
    ...options.anthropic,
  });
  set({ id: 'openai', kind: 'openai', label: 'OpenAI', keyHint: 'OPENAI_API_KEY', ...options.openai });
  for (const e of options.endpoints ?? []) set(e);

  const registry: ProviderRegistry = {
    get(id) {
      const p = providers.get(id);
      if (!p) {
        throw new AppError(
          'UNSUPPORTED',
          `PromptPress has no provider "${id}" (known: ${[...providers.keys()].join(', ')}). Use one of them as provider:model, or a catalog model they serve.`,
          { provider: id, known: [...providers.keys()] },
        );
      }
      return p;
    },
    has: (id) => providers.has(id),
    list: () =>
      [...providers.values()].map((p) => ({
        id: p.id,
        label: p.label,
        kind: p.kind,
        configured: p.configured,
      })),
    set,
    remove: (id) => {
      providers.delete(id);
      endpoints.delete(id);
    },
    batches(id, catalog) {
      registry.get(id);
      return createBatchClient(endpoints.get(id)!, {
        ...(transport.fetch ? { fetch: transport.fetch } : {}),
        ...(transport.maxRetries !== undefined ? { maxRetries: transport.maxRetries } : {}),
        ...(catalog ? { catalog } : {}),
      });
    },
  };
  return registry;
}
