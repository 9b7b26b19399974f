/**
 * Schemas of the provider settings routes (`providers.*`): endpoints, their limits and what a UI may know
 * about their keys. A key travels only into the backend (`providers.setKey`); nothing here carries one out.
 */
import { z } from 'zod';

/** The same rule the provider registry applies to ids: they appear in `provider:model` model names. */
export const PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
/**
 * Environment variables a user endpoint may read its key from. Only `*_API_KEY` names: a settings change
 * (from a page that holds the browser host's token, say) must not be able to send an unrelated secret of
 * the environment, such as AWS_SECRET_ACCESS_KEY or GITHUB_TOKEN, to an endpoint of its choosing.
 */
export const KEY_ENV_VAR_PATTERN = /^[A-Z][A-Z0-9_]*_API_KEY$/;
export const BUILT_IN_PROVIDERS = ['anthropic', 'openai'] as const;
export const PROVIDER_KINDS = ['anthropic', 'openai'] as const;

/**
 * Where a provider's key comes from: the environment, the app's encrypted store (desktop), this session's
 * memory (a key typed in the browser host, or on a desktop without secure storage), or nowhere.
 */
export const KEY_SOURCES = ['env', 'stored', 'session', 'none'] as const;
export type KeySource = (typeof KEY_SOURCES)[number];

/** Per-provider call limits; an absent field means no limit of that kind. */
export const ProviderLimitsSchema = z
  .object({
    /** Most calls in flight at once. */
    concurrency: z.number().int().min(1).max(1000).optional(),
    /** Requests per minute. */
    rpm: z.number().int().min(1).max(1_000_000).optional(),
    /** Tokens (input plus output) per minute. */
    tpm: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict();
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;

/** A provider as the UI sees it: where it is, its limits, and whether (not what) it has a key. */
export const ProviderStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  label: z.string(),
  /** True for Anthropic and OpenAI: always present, only their limits can change. */
  builtIn: z.boolean(),
  /** The API base URL calls go to (the public API for the built-ins unless the host overrides it). */
  baseURL: z.string(),
  /** The environment variable the key is read from, when there is one. */
  keyEnvVar: z.string().nullable(),
  limits: ProviderLimitsSchema,
  configured: z.boolean(),
  /** The key's last four characters (null without a key, or for a key too short to show any of). */
  last4: z.string().nullable(),
  keySource: z.enum(KEY_SOURCES),
});
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

export const ProviderListSchema = z.object({
  providers: z.array(ProviderStatusSchema),
  /**
   * Where `providers.setKey` puts a key in this host: `encrypted` (the desktop's OS-backed store, kept
   * across starts) or `session` (memory only, gone when PromptPress stops).
   */
  keyStorage: z.enum(['encrypted', 'session']),
});
export type ProviderList = z.infer<typeof ProviderListSchema>;

/**
 * An endpoint to add or change. A new endpoint needs a label and a base URL (its id is derived from the
 * label when absent); a built-in takes only `limits`.
 */
export const EndpointDraftSchema = z
  .object({
    id: z.string().trim().min(1).max(40).regex(PROVIDER_ID_PATTERN, {
      message: 'lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
    kind: z.enum(PROVIDER_KINDS),
    label: z.string().trim().min(1).max(60),
    baseURL: z.string().trim().min(1).max(2048),
    /** Empty or null: no environment variable (the key is entered in the app). */
    keyEnvVar: z.string().trim().max(100).nullable(),
    limits: ProviderLimitsSchema,
  })
  .partial()
  .strict();
export type EndpointDraft = z.infer<typeof EndpointDraftSchema>;

export const ProviderTestResultSchema = z.object({
  id: z.string(),
  /** Wall-clock time of the call, in milliseconds. */
  latencyMs: z.number().nonnegative(),
  /** The call made: the model list (free), a token count (free, Anthropic) or a 1-token completion. */
  method: z.enum(['models', 'count_tokens', 'completion']),
  /** Models the endpoint listed (null when the test did not list them). */
  modelCount: z.number().int().nonnegative().nullable(),
  /** The model the test called, for count_tokens and completion. */
  model: z.string().nullable(),
});
export type ProviderTestResult = z.infer<typeof ProviderTestResultSchema>;

export const ProviderModelSchema = z.object({ id: z.string(), ownedBy: z.string().nullable() });
export type ProviderModel = z.infer<typeof ProviderModelSchema>;

const Id = z.string().min(1).max(40);

/** The `providers.*` routes, spread into the contract's route table. */
export const providerRouteSchemas = {
  'providers.list': { input: z.object({}).strict(), output: ProviderListSchema },
  'providers.save': {
    input: z.object({
      /** True to add a new endpoint (an existing id is refused), false to change one. */
      create: z.boolean().default(false),
      endpoint: EndpointDraftSchema,
    }),
    output: ProviderStatusSchema,
  },
  'providers.remove': { input: z.object({ id: Id }), output: z.object({ id: z.string() }) },
  /** Write-only: the answer says whether a key is set and its last 4, never the key. Empty clears it. */
  'providers.setKey': {
    input: z.object({ id: Id, key: z.string().max(4096) }),
    output: ProviderStatusSchema,
  },
  'providers.test': {
    input: z.object({
      id: Id,
      /** The model to call when the endpoint does not list its models. */
      model: z.string().trim().min(1).max(200).optional(),
    }),
    output: ProviderTestResultSchema,
  },
  'providers.models': {
    input: z.object({ id: Id }),
    output: z.object({ id: z.string(), models: z.array(ProviderModelSchema) }),
  },
} as const;
