import { useMemo } from 'react';
import type { CostRow, Workload } from '../../../../shared/contract';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import { Icon } from '../../components/Icon';
import { formatInt, formatPercent, formatTokens, formatUsd } from '../../lib/format';
import { providerLine } from '../../lib/providers';
import { useCostPanelStore } from '../../stores/costPanel';
import { useCostStore } from '../../stores/costs';
import { useModelSelectionStore } from '../../stores/modelSelection';
import { useTokensStore } from '../../stores/tokens';
import { useWorkloadStore } from '../../stores/workload';
import { ModelPicker } from './ModelPicker';
import { priceProvenance, tokenProvenance } from './provenance';

/** The id of the projection form's first field, focused by "Edit workload". */
export const WORKLOAD_FIRST_FIELD = 'projection-requests-per-day';

function assumptions(w: Workload): { perRequest: string; options: string; perMonth: string } {
  const cache = w.cacheHitRate > 0 ? `${formatPercent(w.cacheHitRate)} cache hits` : 'no cache hits';
  const batch = w.batchShare > 0 ? `${formatPercent(w.batchShare)} sent as batch` : 'no batch';
  return {
    perRequest: `prompt + ${formatInt(w.outputTokens)} output tokens`,
    options: `${cache} · ${batch}`,
    perMonth: `${formatInt(w.requestsPerDay)} requests/day × 30 days`,
  };
}

function PriceCell({
  usd,
  row,
  detail,
  testId,
  best,
}: {
  usd: number | null;
  row: CostRow;
  detail: string;
  testId?: string;
  best?: boolean;
}) {
  const provenance = priceProvenance(row);
  if (usd === null) {
    return (
      <td
        className="num no-price"
        data-testid={testId}
        title={`No price in the catalog for ${row.unpriced.join(', ') || 'this model'}: left out of totals, never $0.\n${provenance}`}
      >
        no price
      </td>
    );
  }
  return (
    <td
      className={best ? 'num best' : 'num'}
      data-testid={testId}
      data-usd={usd}
      title={`${provenance}\n${detail}${best ? '\nLowest of the compared models' : ''}`}
    >
      {formatUsd(usd)}
    </td>
  );
}

function ModelCell({ id, model }: { id: string; model: ModelEntry | undefined }) {
  return (
    <th scope="row" className="model-cell" title={model ? `${id} · ${providerLine(model)}` : id}>
      <span className={`provider-dot provider-${model?.provider ?? 'other'}`} aria-hidden="true" />
      <span className="model-cell-label">{model?.label ?? id}</span>
    </th>
  );
}

/** The model comparison: tokens and cost of the editor's text per selected model, updated while typing. */
export function CostTab() {
  const catalog = useTokensStore((s) => s.models);
  const ids = useModelSelectionStore((s) => s.ids);
  const estimate = useCostStore((s) => s.estimate);
  const pending = useCostStore((s) => s.pending);
  const error = useCostStore((s) => s.error);
  const workload = useWorkloadStore((s) => s.workload);
  const setTab = useCostPanelStore((s) => s.setTab);

  const byId = useMemo(() => new Map(catalog.map((m) => [m.id, m])), [catalog]);
  const rows = useMemo(() => new Map((estimate?.rows ?? []).map((r) => [r.model, r])), [estimate]);
  const shown = ids.map((id) => ({ id, model: byId.get(id), row: rows.get(id) }));
  const priced = shown.flatMap((s) => (s.row && s.row.perRequestUsd !== null ? [s.row.perRequestUsd] : []));
  const cheapest = priced.length > 1 ? Math.min(...priced) : null;
  const unpriced = shown.filter((s) => s.row && s.row.perRequestUsd === null);
  const estimated = shown.filter((s) => s.row?.method === 'estimate');
  const text = assumptions(workload);

  const editWorkload = () => {
    setTab('projection');
    requestAnimationFrame(() => document.getElementById(WORKLOAD_FIRST_FIELD)?.focus());
  };

  return (
    <div className="cost-tab">
      <ModelPicker />
      <section className="panel-section" aria-labelledby="cost-table-title">
        <div className="section-title">
          <h2 id="cost-table-title">Cost per model</h2>
          <span className={pending ? 'updating visible' : 'updating'} aria-live="polite">
            {pending && (
              <>
                <span className="spinner" aria-hidden="true" />
                Updating
              </>
            )}
          </span>
        </div>
        {ids.length === 0 ? (
          <p className="panel-empty">Add a model above to see what this prompt costs on it.</p>
        ) : (
          <table className="cost-table" data-testid="cost-table" data-pending={pending ? 'true' : 'false'}>
            <colgroup>
              <col />
              <col className="col-tokens" />
              <col className="col-usd" />
              <col className="col-usd-short" />
              <col className="col-month" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="num" title="Input tokens of the prompt">
                  Tokens
                </th>
                <th scope="col" className="num" title={`Per request: ${text.perRequest}, ${text.options}`}>
                  $/request
                </th>
                <th scope="col" className="num" title="Per 1,000 requests">
                  $/1k req
                </th>
                <th scope="col" className="num" title={`Per month: ${text.perMonth}`}>
                  $/month
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ id, model, row }) =>
                row ? (
                  <tr key={id} data-testid="cost-row" data-model={id} data-tokens={row.tokens}>
                    <ModelCell id={id} model={model} />
                    <td
                      className={row.method === 'estimate' ? 'num estimate' : 'num'}
                      data-testid="cost-tokens"
                      title={tokenProvenance(row.method, row.encoding, row.counter, model, row.estimateError)}
                    >
                      {formatTokens(row.tokens, row.method)}
                    </td>
                    {row.perRequestUsd === null ? (
                      <td
                        className="num no-price"
                        colSpan={3}
                        data-testid="cost-per-request"
                        title={`No price in the catalog for ${row.unpriced.join(', ') || 'this model'}: left out of totals, never $0.\n${priceProvenance(row)}`}
                      >
                        no price
                      </td>
                    ) : (
                      <>
                        <PriceCell
                          usd={row.perRequestUsd}
                          row={row}
                          detail={`Per request: ${text.perRequest}, ${text.options}`}
                          testId="cost-per-request"
                          best={cheapest !== null && row.perRequestUsd === cheapest}
                        />
                        <PriceCell usd={row.per1kUsd} row={row} detail="Per 1,000 requests" />
                        <PriceCell usd={row.perMonthUsd} row={row} detail={`Per month: ${text.perMonth}`} />
                      </>
                    )}
                  </tr>
                ) : (
                  <tr key={id} className="row-loading" data-testid="cost-row-loading" data-model={id}>
                    <ModelCell id={id} model={model} />
                    <td className="num" colSpan={4}>
                      <span className="skeleton" aria-label="Computing" />
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
        {error && (
          <p className="panel-error" data-testid="cost-error">
            <code>{error.code}</code> {error.message}
          </p>
        )}
        {unpriced.map(({ id, model, row }) => (
          <p key={id} className="panel-warning" data-testid="cost-warning" data-model={id}>
            <Icon name="warning" />
            <span>
              <strong>{model?.label ?? id}</strong> has no price for {row!.unpriced.join(' and ')} in the
              catalog: shown as “no price” and excluded from totals.
            </span>
          </p>
        ))}
        {estimated.length > 0 && (
          <p className="panel-note">
            ≈ counted with a stand-in tokenizer
            {estimated.some((s) => s.row?.estimateError?.samples) ? '' : ' (error not yet measured)'}. Hover
            any number for its source.
          </p>
        )}
      </section>
      <section className="assumptions" aria-label="Workload assumptions">
        <span className="assumption-key">Per request</span>
        <span>{text.perRequest}</span>
        <span className="assumption-key" aria-hidden="true" />
        <span>{text.options}</span>
        <span className="assumption-key">Per month</span>
        <span>{text.perMonth}</span>
        <button type="button" className="link-button" onClick={editWorkload}>
          Edit workload in Projection
          <Icon name="arrowRight" />
        </button>
      </section>
    </div>
  );
}
