import { useEffect, useState } from 'react';
import type { CompressResult, CostRow } from '../../../../shared/contract';
import { Icon } from '../../components/Icon';
import { formatInt, formatPercent, formatUsd } from '../../lib/format';
import { useCompressStore } from '../../stores/compress';
import { useModelSelectionStore } from '../../stores/modelSelection';
import { api } from '../../transport';
import { RunNotes } from './RunNotes';
import { heatSegments, type HeatSegment } from './viewModel';

interface Saving {
  model: string;
  label: string;
  beforeUsd: number | null;
  afterUsd: number | null;
  per1kSavedUsd: number | null;
  estimate: boolean;
}

/** The input cost of the original and the compressed prompt on each selected model (exact counts per model). */
function useModelSavings(original: string, compressed: string | null): Saving[] {
  const models = useModelSelectionStore((s) => s.ids);
  const [rows, setRows] = useState<Saving[]>([]);
  useEffect(() => {
    if (compressed === null || models.length === 0) return setRows([]);
    let live = true;
    const workload = {
      requestsPerDay: 1000,
      outputTokens: 0,
      cacheHitRate: 0,
      batchShare: 0,
      ttl: '5m' as const,
    };
    const ask = (text: string) => api.call('cost.estimate', { text, models, workload }).then((r) => r.rows);
    Promise.all([ask(original), ask(compressed)]).then(
      ([before, after]) => {
        if (!live) return;
        const byId = new Map<string, CostRow>(after.map((r) => [r.model, r]));
        setRows(
          before.map((b) => {
            const a = byId.get(b.model);
            const saved = a && b.per1kUsd !== null && a.per1kUsd !== null ? b.per1kUsd - a.per1kUsd : null;
            return {
              model: b.model,
              label: b.label,
              beforeUsd: b.perRequestUsd,
              afterUsd: a?.perRequestUsd ?? null,
              per1kSavedUsd: saved,
              estimate: b.method === 'estimate',
            };
          }),
        );
      },
      () => live && setRows([]),
    );
    return () => {
      live = false;
    };
  }, [original, compressed, models]);
  return rows;
}

function heatColor(saved: number): string {
  // 0 % saved: the track colour; 25 % or more: full accent
  const t = Math.max(0, Math.min(1, saved / 0.25));
  return `color-mix(in srgb, var(--chart-cache) ${Math.round(15 + t * 85)}%, var(--chart-track))`;
}

/** One segment per section, as wide as its share of the tokens, as dark as its saving; click to show it. */
export function HeatBar({
  segments,
  onPick,
}: {
  segments: readonly HeatSegment[];
  onPick(s: HeatSegment): void;
}) {
  return (
    <div className="heat-bar" role="list" aria-label="Token saving by section" data-testid="heat-bar">
      {segments.map((s, i) => (
        <button
          key={`${i}:${s.start}`}
          type="button"
          role="listitem"
          className="heat-segment"
          style={{ flexGrow: Math.max(s.share, 0.004), background: heatColor(s.saved) }}
          title={`${s.title}: ${formatInt(s.tokensBefore)} → ${formatInt(s.tokensAfter)} tokens (${s.saved >= 0 ? '−' : '+'}${formatPercent(Math.abs(s.saved))})`}
          aria-label={`${s.title}: ${formatInt(s.tokensBefore)} to ${formatInt(s.tokensAfter)} tokens`}
          onClick={() => onPick(s)}
          data-testid="heat-segment"
        />
      ))}
    </div>
  );
}

/** Totals, the heat bar, the saving per selected model, and the Export button. */
export function CompressSummary({
  original,
  result,
  onExport,
  onPickSection,
}: {
  original: string;
  result: CompressResult | null;
  onExport(): void;
  onPickSection(s: HeatSegment): void;
}) {
  const pending = useCompressStore((s) => s.pending);
  const savings = useModelSavings(original, result?.text ?? null);
  const t = result?.totals;
  return (
    <div className="compress-summary" data-testid="compress-summary" data-pending={pending}>
      <div className="compress-totals">
        {t ? (
          <>
            <span className="compress-figure" data-testid="compress-totals">
              <strong>{formatInt(t.tokensBefore)}</strong>
              <Icon name="arrowRight" />
              <strong>{formatInt(t.tokensAfter)}</strong> tokens
            </span>
            <span
              className={t.saved > 0 ? 'compress-saved positive' : 'compress-saved'}
              data-testid="compress-saved"
            >
              {t.saved >= 0 ? '−' : '+'}
              {formatInt(Math.abs(t.saved))} ({formatPercent(Math.abs(1 - t.ratio))})
            </span>
            <span className="muted small" title="Every figure is an exact count with this encoding">
              exact · {result.encoding}
            </span>
          </>
        ) : (
          <span className="muted">{pending ? 'Compressing…' : 'No result yet'}</span>
        )}
        {pending && t && <span className="compress-pending muted small">updating…</span>}
        <button
          type="button"
          className="button button-primary small compress-export"
          onClick={onExport}
          disabled={!result}
          data-testid="export-open"
        >
          <Icon name="save" /> Export…
        </button>
      </div>
      {result && result.sections.length > 0 && (
        <HeatBar segments={heatSegments(result)} onPick={onPickSection} />
      )}
      {result && <RunNotes result={result} />}
      {savings.length > 0 && (
        <ul
          className="model-savings"
          aria-label="Input cost per request, before and after"
          data-testid="model-savings"
        >
          {savings.map((s) => (
            <li key={s.model} data-testid="model-saving" data-model={s.model}>
              <span className="model-saving-name">{s.label}</span>
              <span title="Input cost of one request, original → compressed">
                {s.estimate ? '≈ ' : ''}
                {formatUsd(s.beforeUsd)} → {formatUsd(s.afterUsd)}
              </span>
              <strong title="Saved per 1,000 requests">
                {s.per1kSavedUsd === null ? 'no price' : `${formatUsd(s.per1kSavedUsd)} / 1k req`}
              </strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
