import { useId, useMemo } from 'react';
import type { Workload } from '../../../../shared/contract';
import { Icon } from '../../components/Icon';
import { formatInt, formatPercent, formatUsd } from '../../lib/format';
import { useEditorStore } from '../../stores/editor';
import { useModelSelectionStore } from '../../stores/modelSelection';
import { useProjectionStore, type ProjectionResult } from '../../stores/projection';
import { useTokensStore } from '../../stores/tokens';
import { useWorkloadStore } from '../../stores/workload';
import { useWorkspaceStore } from '../../stores/workspace';
import { WORKLOAD_FIRST_FIELD } from './CostTab';
import { NumberField } from './NumberField';
import { ProjectionChart, type ChartBar } from './ProjectionChart';
import { priceProvenance } from './provenance';

type Row = ProjectionResult['rows'][number];

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function SavingCell({ row }: { row: Row }) {
  if (row.savingUsd === null) return <td className="num no-price">no price</td>;
  const base = row.original.totalUsd;
  const share = base ? formatPercent(Math.abs(row.savingUsd) / base) : '';
  if (Math.abs(row.savingUsd) < 5e-7) return <td className="num muted">—</td>;
  return row.savingUsd > 0 ? (
    <td className="num saving-good" data-usd={row.savingUsd} title="The compared prompt costs less">
      {formatUsd(row.savingUsd)}
      <span className="cell-sub">{share} less</span>
    </td>
  ) : (
    <td className="num saving-bad" data-usd={row.savingUsd} title="The compared prompt costs more">
      {formatUsd(-row.savingUsd)}
      <span className="cell-sub">{share} more</span>
    </td>
  );
}

function WorkloadForm({ compareOptions }: { compareOptions: string[] }) {
  const workload = useWorkloadStore((s) => s.workload);
  const update = useWorkloadStore((s) => s.update);
  const compareWith = useProjectionStore((s) => s.compareWith);
  const setCompare = useProjectionStore((s) => s.setCompare);
  const compareError = useProjectionStore((s) => s.compareError);
  const baseId = useId();
  const set = (key: keyof Workload) => (v: number | undefined) => update({ [key]: v });

  return (
    <form
      className="form-grid projection-form"
      data-testid="projection-form"
      aria-label="Workload"
      onSubmit={(e) => e.preventDefault()}
    >
      <NumberField
        id={WORKLOAD_FIRST_FIELD}
        label="Requests / day"
        value={workload.requestsPerDay}
        max={1e9}
        onCommit={(v) => v !== undefined && update({ requestsPerDay: v })}
      />
      <NumberField
        label="Days"
        value={workload.days}
        max={3660}
        onCommit={(v) => v !== undefined && update({ days: v })}
      />
      <NumberField
        label="Output tokens"
        hint="Average output tokens per request"
        value={workload.outputTokens}
        integer
        max={10_000_000}
        onCommit={(v) => v !== undefined && update({ outputTokens: v })}
      />
      <NumberField
        label="Cache hits"
        hint="Share of requests that find the prompt prefix in the cache"
        value={workload.cacheHitRate}
        scale={100}
        max={100}
        suffix="%"
        onCommit={(v) => v !== undefined && update({ cacheHitRate: v })}
      />
      <NumberField
        label="Batch share"
        value={workload.batchShare}
        scale={100}
        max={100}
        suffix="%"
        hint="Share of requests sent through the batch API (50% price)"
        onCommit={(v) => v !== undefined && update({ batchShare: v })}
      />
      <div className="field">
        <label className="field-label" htmlFor={`${baseId}-ttl`}>
          Cache lifetime
        </label>
        <select
          id={`${baseId}-ttl`}
          className="input"
          value={workload.ttl}
          title="Anthropic cache lifetime (others ignore it)"
          onChange={(e) => update({ ttl: e.target.value as Workload['ttl'] })}
        >
          <option value="5m">5 min</option>
          <option value="1h">1 h</option>
        </select>
      </div>
      <NumberField
        label="Embed tokens/day"
        hint="Embedding tokens per day (retrieval, memory)"
        value={workload.embeddingTokensPerDay}
        optional
        placeholder="none"
        onCommit={set('embeddingTokensPerDay')}
      />
      <NumberField
        label="Embed $/1M tok"
        hint="Embedding price per million tokens"
        value={workload.embeddingPerMTok}
        optional
        placeholder="none"
        onCommit={set('embeddingPerMTok')}
      />
      <NumberField
        label="Other $/month"
        hint="Other monthly costs (vector store, hosting)"
        value={workload.otherMonthlyUsd}
        optional
        placeholder="none"
        onCommit={set('otherMonthlyUsd')}
      />
      <div className="field span-3">
        <label className="field-label" htmlFor={`${baseId}-compare`}>
          Compare with
        </label>
        <select
          id={`${baseId}-compare`}
          className="input"
          data-testid="projection-compare"
          value={compareWith ?? ''}
          onChange={(e) => void setCompare(e.target.value || null)}
        >
          <option value="">Nothing: this prompt only</option>
          {compareOptions.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        {compareError && (
          <span className="field-error">
            <code>{compareError.code}</code> {compareError.message}
          </span>
        )}
      </div>
    </form>
  );
}

/** Workload → cost per model over the period, optionally against another prompt, with a stacked chart. */
export function ProjectionTab() {
  const path = useEditorStore((s) => s.path);
  const files = useWorkspaceStore((s) => s.workspace?.files);
  const ids = useModelSelectionStore((s) => s.ids);
  const catalog = useTokensStore((s) => s.models);
  const workload = useWorkloadStore((s) => s.workload);
  const { result, compared, pending, error, compareWith } = useProjectionStore();

  const compareOptions = useMemo(
    () => (files ?? []).map((f) => f.path).filter((p) => p !== path),
    [files, path],
  );
  const labelOf = (id: string) => catalog.find((m) => m.id === id)?.label ?? id;
  const sourceOf = (id: string) => {
    const m = catalog.find((c) => c.id === id);
    return m ? priceProvenance(m) : undefined;
  };
  const period = `${formatInt(workload.days)} ${workload.days === 1 ? 'day' : 'days'}`;
  const rows = (result?.rows ?? []).filter((r) => ids.includes(r.model));
  const showCompare = compared && compareWith !== null;
  const bars: ChartBar[] = rows.flatMap((r) => {
    const current: ChartBar = {
      model: r.model,
      label: labelOf(r.model),
      variant: 'current',
      total: r.original.totalUsd,
      breakdown: r.original.breakdown,
    };
    if (!showCompare || !r.compressed) return [current];
    return [
      current,
      {
        model: r.model,
        label: labelOf(r.model),
        variant: 'compared',
        total: r.compressed.totalUsd,
        breakdown: r.compressed.breakdown,
      },
    ];
  });
  const unpriced = rows.filter((r) => r.original.totalUsd === null || r.compressed?.totalUsd === null);
  const thisName = path ? baseName(path) : 'this prompt';
  const otherName = compareWith ? baseName(compareWith) : '';

  if (ids.length === 0) {
    return <p className="panel-empty">Add a model in the Cost tab to project its cost.</p>;
  }

  return (
    <div className="projection-tab">
      <WorkloadForm compareOptions={compareOptions} />
      <section className="panel-section" aria-labelledby="projection-title">
        <div className="section-title">
          <h2 id="projection-title">
            {formatInt(workload.requestsPerDay * workload.days)} requests over {period}
          </h2>
          <span className={pending ? 'updating visible' : 'updating'} aria-live="polite">
            {pending && (
              <>
                <span className="spinner" aria-hidden="true" />
                Updating
              </>
            )}
          </span>
        </div>
        {error && (
          <p className="panel-error">
            <code>{error.code}</code> {error.message}
          </p>
        )}
        {rows.length > 0 && (
          <table
            className="cost-table projection-table"
            data-testid="projection-table"
            data-pending={pending ? 'true' : 'false'}
          >
            <colgroup>
              <col />
              <col className="col-usd" />
              <col className="col-usd" />
              <col className="col-usd" />
            </colgroup>
            <thead>
              {showCompare ? (
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num" title={thisName}>
                    This prompt
                  </th>
                  <th scope="col" className="num" title={otherName}>
                    Compared
                  </th>
                  <th
                    scope="col"
                    className="num"
                    title={`What ${otherName} saves over ${thisName} in ${period}`}
                  >
                    Saving
                  </th>
                </tr>
              ) : (
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num" title="LLM cost per request (without embeddings and other)">
                    $/request
                  </th>
                  <th scope="col" className="num">
                    $/1k req
                  </th>
                </tr>
              )}
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.model}
                  title={sourceOf(r.model)}
                  data-testid="projection-row"
                  data-model={r.model}
                  data-total={r.original.totalUsd ?? ''}
                >
                  <th scope="row" className="model-cell">
                    <span className="model-cell-label">{labelOf(r.model)}</span>
                  </th>
                  {showCompare ? (
                    <>
                      <td className={r.original.totalUsd === null ? 'num no-price' : 'num'}>
                        {formatUsd(r.original.totalUsd)}
                        <span className="cell-sub">{formatUsd(r.original.perRequestUsd)}/req</span>
                      </td>
                      <td className={r.compressed?.totalUsd == null ? 'num no-price' : 'num'}>
                        {formatUsd(r.compressed?.totalUsd ?? null)}
                        <span className="cell-sub">{formatUsd(r.compressed?.perRequestUsd ?? null)}/req</span>
                      </td>
                      <SavingCell row={r} />
                    </>
                  ) : (
                    <>
                      <td className={r.original.totalUsd === null ? 'num no-price' : 'num strong'}>
                        {formatUsd(r.original.totalUsd)}
                      </td>
                      <td className={r.original.perRequestUsd === null ? 'num no-price' : 'num'}>
                        {formatUsd(r.original.perRequestUsd)}
                      </td>
                      <td className={r.original.per1kRequestsUsd === null ? 'num no-price' : 'num'}>
                        {formatUsd(r.original.per1kRequestsUsd)}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {unpriced.map((r) => (
          <p key={r.model} className="panel-warning" data-testid="projection-warning">
            <Icon name="warning" />
            <span>
              <strong>{labelOf(r.model)}</strong> has no price for{' '}
              {[...new Set([...r.original.unpriced, ...(r.compressed?.unpriced ?? [])])].join(', ')}: excluded
              from totals.
            </span>
          </p>
        ))}
        {bars.length > 0 && <ProjectionChart bars={bars} period={period} />}
        {showCompare && (
          <p className="panel-note">
            Compared: <strong>{thisName}</strong> (upper bar) with <strong>{otherName}</strong> (lower bar).
          </p>
        )}
      </section>
    </div>
  );
}
