import type { ModelEntry } from '../../../core/pricing/catalog';

const PROVIDER_LABELS: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  deepseek: 'DeepSeek',
  mistral: 'Mistral',
  xai: 'xAI',
  meta: 'Meta',
  qwen: 'Qwen',
  together: 'Together',
  groq: 'Groq',
  fireworks: 'Fireworks',
};

/** "openai" → "OpenAI"; unknown ids are shown as they are. */
export function providerLabel(id: string): string {
  return PROVIDER_LABELS[id] ?? id;
}

/** "Meta via Together" for hosted models, the provider alone otherwise. */
export function providerLine(model: Pick<ModelEntry, 'provider' | 'host'>): string {
  return model.host
    ? `${providerLabel(model.provider)} via ${providerLabel(model.host)}`
    : providerLabel(model.provider);
}

/** Groups models by provider, keeping the catalog's order of providers and of models within each. */
export function groupByProvider(models: ModelEntry[]): Array<[string, ModelEntry[]]> {
  const groups = new Map<string, ModelEntry[]>();
  for (const m of models) groups.set(m.provider, [...(groups.get(m.provider) ?? []), m]);
  return [...groups];
}

/**
 * The catalog entries matching a search: every word of the query must appear in the model's id, label,
 * provider or host. Models in `exclude` (already chosen) are left out. Grouped by provider.
 */
export function searchModels(
  models: ModelEntry[],
  query: string,
  exclude: readonly string[] = [],
): ModelEntry[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const skip = new Set(exclude);
  const hits = models.filter((m) => {
    if (skip.has(m.id)) return false;
    const haystack = [
      m.id,
      m.label,
      m.provider,
      providerLabel(m.provider),
      m.host ?? '',
      m.host ? providerLabel(m.host) : '',
    ]
      .join(' ')
      .toLowerCase();
    return terms.every((t) => haystack.includes(t));
  });
  return groupByProvider(hits).flatMap(([, list]) => list);
}
