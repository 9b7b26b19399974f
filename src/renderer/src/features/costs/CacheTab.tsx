import { useId, useMemo } from 'react';
import { Icon } from '../../components/Icon';
import { formatInt, formatPercent, formatTokens, formatUsd } from '../../lib/format';
import { useCacheStore, type CacheAnalysis } from '../../stores/cacheWhatIf';
import { useEditorStore } from '../../stores/editor';
import { useModelSelectionStore } from '../../stores/modelSelection';
import { useTokensStore } from '../../stores/tokens';
import { useWorkloadStore } from '../../stores/workload';
import { breakpointLabel, kindLabel, lineOf, savingText } from './cacheText';
import { NumberField } from './NumberField';
import { priceProvenance } from './provenance';

function CostLines({
  analysis,
  ttl,
  provenance,
}: {
  analysis: CacheAnalysis;
  ttl: '5m' | '1h';
  provenance: string | undefined;
}) {
  const { noCache, hit, miss, expectedUsd } = analysis.perRequest;
  const explicit = analysis.caching === 'anthropic-explicit';
  const cached = analysis.cachedTokensOnHit > 0;
  const lines = [
    { label: 'No cache', usd: noCache.totalUsd, note: 'every token at the input price' },
    {
      label: 'Cache hit',
      usd: hit.totalUsd,
      note: cached ? `${formatInt(hit.cacheRead.tokens)} tokens read from the cache` : 'nothing is cached',
    },
    {
      label: 'Cache miss',
      usd: miss.totalUsd,
      note: !cached
        ? 'nothing is cached'
        : explicit
          ? `writes ${formatInt(miss.cacheWrite5m.tokens + miss.cacheWrite1h.tokens)} tokens at ${ttl === '1h' ? '2×' : '1.25×'}`
          : 'no write surcharge',
    },
  ];
  return (
    <table className="cache-costs">
      <tbody>
        {lines.map((l) => (
          <tr key={l.label}>
            <th scope="row">{l.label}</th>
            <td className="muted">{l.note}</td>
            <td className="num" title={provenance}>
              {formatUsd(l.usd)}
            </td>
          </tr>
        ))}
        <tr className="expected">
          <th scope="row">Expected</th>
          <td className="muted">at {formatPercent(analysis.hitRate)} hits</td>
          <td className="num" data-testid="cache-expected" title={provenance}>
            {formatUsd(expectedUsd)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The prompt-cache what-if: what a provider would cache of this prompt, and what that saves per request. */
export function CacheTab() {
  const ids = useModelSelectionStore((s) => s.ids);
  const catalog = useTokensStore((s) => s.models);
  const { model, hitRate, ttl, outputTokens, analysis, analyzedText, pending, error } = useCacheStore();
  const { setModel, setHitRate, setTtl, setOutputTokens } = useCacheStore.getState();
  const requestReveal = useEditorStore((s) => s.requestReveal);
  const updateWorkload = useWorkloadStore((s) => s.update);
  const workload = useWorkloadStore((s) => s.workload);
  const baseId = useId();

  const entry = catalog.find((m) => m.id === model);
  const explicit = entry?.caching === 'anthropic-explicit';
  const current = analysis && analysis.model === model ? analysis : null;
  const first = current?.firstDynamic ?? null;
  const firstLine = useMemo(
    () => (first && analyzedText !== null ? lineOf(analyzedText, first.offset) : null),
    [first, analyzedText],
  );
  const saving = current ? savingText(current) : null;
  const applied = workload.cacheHitRate === hitRate && (!explicit || workload.ttl === ttl);

  if (ids.length === 0) {
    return <p className="panel-empty">Add a model in the Cost tab to see what prompt caching would do.</p>;
  }

  return (
    <div className="cache-tab" data-testid="cache-whatif" data-pending={pending ? 'true' : 'false'}>
      <div className="form-grid">
        <div className="field span-2">
          <label className="field-label" htmlFor={`${baseId}-model`}>
            Model
          </label>
          <select
            id={`${baseId}-model`}
            className="input"
            aria-label="Cache model"
            data-testid="cache-model"
            value={model ?? ''}
            onChange={(e) => setModel(e.target.value)}
          >
            {ids.map((id) => {
              const m = catalog.find((c) => c.id === id);
              return (
                <option key={id} value={id}>
                  {m?.label ?? id}
                  {m?.caching === 'none' ? ' (no caching)' : ''}
                </option>
              );
            })}
          </select>
        </div>
        <div className="field span-2">
          <label className="field-label" htmlFor={`${baseId}-hit`}>
            Hit rate <span className="field-value">{formatPercent(hitRate)}</span>
          </label>
          <input
            id={`${baseId}-hit`}
            className="slider"
            type="range"
            min={0}
            max={100}
            step={5}
            value={Math.round(hitRate * 100)}
            aria-valuetext={`${formatPercent(hitRate)} of requests hit the cache`}
            data-testid="cache-hit-rate"
            onChange={(e) => setHitRate(Number(e.target.value) / 100)}
          />
        </div>
        <NumberField
          label="Output tokens"
          value={outputTokens}
          integer
          max={10_000_000}
          onCommit={(v) => v !== undefined && setOutputTokens(v)}
        />
        {explicit && (
          <fieldset className="field segmented-field" role="radiogroup" aria-labelledby={`${baseId}-ttl`}>
            <legend className="field-label" id={`${baseId}-ttl`}>
              Cache lifetime
            </legend>
            <div className="segmented">
              {(['5m', '1h'] as const).map((t) => (
                <label key={t} className={ttl === t ? 'segment active' : 'segment'}>
                  <input
                    type="radio"
                    name={`${baseId}-ttl`}
                    value={t}
                    checked={ttl === t}
                    onChange={() => setTtl(t)}
                  />
                  {t === '5m' ? '5 min' : '1 h'}
                </label>
              ))}
            </div>
          </fieldset>
        )}
      </div>

      {error && (
        <p className="panel-error">
          <code>{error.code}</code> {error.message}
        </p>
      )}
      {!current && !error && <p className="panel-empty">{pending ? 'Analysing the prompt…' : ' '}</p>}
      {current && (
        <div className={pending ? 'cache-results stale' : 'cache-results'}>
          <section className="metric" aria-labelledby={`${baseId}-prefix`}>
            <h3 id={`${baseId}-prefix`} className="metric-title">
              Cacheable prefix
            </h3>
            <div className="metric-row">
              <span
                className="metric-value"
                data-testid="cache-prefix-tokens"
                data-tokens={current.prefixTokens}
                title={
                  current.method === 'estimate'
                    ? `≈ estimate — ${entry?.countWith ?? 'stand-in'} stand-in for the ${entry?.tokenizer ?? "model's own"} tokenizer; error not yet measured`
                    : `exact — ${entry?.countWith ?? ''}`
                }
              >
                {formatTokens(current.prefixTokens, current.method)}{' '}
                <span className="metric-unit">{current.prefixTokens === 1 ? 'token' : 'tokens'}</span>
              </span>
              <span className="metric-sub">
                {current.totalTokens > 0 ? formatPercent(current.prefixTokens / current.totalTokens) : '0%'}{' '}
                of {formatInt(current.totalTokens)}
              </span>
              <span
                className={current.meetsMinimum ? 'badge badge-ok' : 'badge badge-warn'}
                data-testid="cache-minimum"
              >
                {current.caching === 'none'
                  ? 'no caching'
                  : current.meetsMinimum
                    ? `meets ${formatInt(current.minCacheableTokens)} min`
                    : `below ${formatInt(current.minCacheableTokens)} min`}
              </span>
            </div>
            <div
              className="prefix-bar"
              role="img"
              aria-label={`${formatInt(current.cachedTokensOnHit)} of ${formatInt(current.totalTokens)} tokens cached on a hit`}
            >
              <span
                className={current.meetsMinimum ? 'prefix-fill' : 'prefix-fill short'}
                style={{
                  width: `${current.totalTokens ? Math.max(0.6, (100 * current.prefixTokens) / current.totalTokens) : 0}%`,
                }}
              />
              {current.minCacheableTokens > 0 && current.minCacheableTokens < current.totalTokens && (
                <span
                  className="prefix-min"
                  style={{ left: `${(100 * current.minCacheableTokens) / current.totalTokens}%` }}
                  title={`Minimum cacheable length: ${formatInt(current.minCacheableTokens)} tokens`}
                />
              )}
            </div>
          </section>

          <section className="metric" aria-labelledby={`${baseId}-dyn`}>
            <h3 id={`${baseId}-dyn`} className="metric-title">
              First dynamic content
            </h3>
            {first ? (
              <button
                type="button"
                className="dynamic-chip"
                data-testid="cache-first-dynamic"
                data-offset={first.offset}
                data-kind={first.kind}
                title="Show it in the editor"
                onClick={() => requestReveal(first.offset, first.text.length)}
              >
                <span className="dynamic-kind">{kindLabel(first.kind)}</span>
                <code className="dynamic-text">{first.text}</code>
                <span className="dynamic-line">line {firstLine}</span>
                <Icon name="locate" />
              </button>
            ) : (
              <p className="metric-text">None: the whole prompt is static.</p>
            )}
            {current.dynamicSpans.length > 1 && (
              <p className="metric-text muted">
                {current.dynamicSpans.length - 1} more dynamic{' '}
                {current.dynamicSpans.length === 2 ? 'span' : 'spans'} after it (underlined in the editor).
              </p>
            )}
          </section>

          <section className="metric" aria-labelledby={`${baseId}-bp`}>
            <h3 id={`${baseId}-bp`} className="metric-title">
              Suggested breakpoint
            </h3>
            {current.breakpoints.length > 0 ? (
              <ul className="breakpoints">
                {current.breakpoints.map((bp) => (
                  <li key={bp.offset}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => requestReveal(bp.offset, 0)}
                      data-testid="cache-breakpoint"
                    >
                      {analyzedText !== null ? breakpointLabel(analyzedText, bp.offset) : 'Show'}
                    </button>{' '}
                    · {formatInt(bp.tokens)} tokens cached: {bp.reason}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="metric-text muted">
                {current.caching === 'anthropic-explicit'
                  ? 'None: the static prefix is too short to cache.'
                  : current.caching === 'none'
                    ? 'This model does not cache prompts.'
                    : 'Not needed: this provider caches the longest matching prefix automatically.'}
              </p>
            )}
          </section>

          <section className="metric" aria-labelledby={`${baseId}-cost`}>
            <h3 id={`${baseId}-cost`} className="metric-title">
              Cost per request
            </h3>
            <CostLines analysis={current} ttl={ttl} provenance={entry ? priceProvenance(entry) : undefined} />
            <p
              className={`saving saving-${saving!.tone}`}
              data-testid="cache-saving"
              data-usd={current.savingPerRequestUsd ?? ''}
              title={entry ? priceProvenance(entry) : undefined}
            >
              {saving!.text}
            </p>
            <p className="explanation">{current.explanation}</p>
            <button
              type="button"
              className="link-button"
              disabled={applied}
              onClick={() => updateWorkload({ cacheHitRate: hitRate, ...(explicit ? { ttl } : {}) })}
            >
              {applied
                ? `The projection uses ${formatPercent(hitRate)} hits`
                : `Use ${formatPercent(hitRate)} hits in the projection`}
            </button>
          </section>
        </div>
      )}
    </div>
  );
}
