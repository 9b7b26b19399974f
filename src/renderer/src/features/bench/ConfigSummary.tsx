import { openGolden } from '../../app/benchActions';
import { formatInt, formatUsd } from '../../lib/format';
import type { BenchEstimateResult } from '../../../../shared/bench';

/** Joins the config's folder and a path relative to it into a workspace path ("a/b/../c" → "a/c"). */
export function resolveRelative(configPath: string, rel: string): string {
  const parts = configPath.split('/').slice(0, -1);
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

function Chips({ items, mark }: { items: string[]; mark?: string }) {
  return (
    <span className="bench-chips">
      {items.map((item) => (
        <span key={item} className={item === mark ? 'bench-chip marked' : 'bench-chip'}>
          {item}
          {item === mark && <span className="bench-chip-note">baseline</span>}
        </span>
      ))}
    </span>
  );
}

/** What the config runs: golden set, variants, models, repeats, request parameters, budget. */
export function ConfigSummary({ path, result }: { path: string; result: BenchEstimateResult }) {
  const c = result.config;
  const goldenPath = resolveRelative(path, c.golden.file);
  return (
    <dl className="bench-config" data-testid="bench-config">
      <div>
        <dt>Golden set</dt>
        <dd>
          <button
            type="button"
            className="link-button"
            onClick={() => void openGolden(goldenPath)}
            title={`Open ${goldenPath} in the golden-set editor`}
          >
            {goldenPath}
          </button>{' '}
          <span className="muted" data-testid="bench-cases">
            {formatInt(c.golden.cases)} case{c.golden.cases === 1 ? '' : 's'} · {c.golden.format}
          </span>
        </dd>
      </div>
      <div>
        <dt>Variants</dt>
        <dd>
          <Chips items={c.variants} mark={c.baseline} />
        </dd>
      </div>
      <div>
        <dt>Models</dt>
        <dd>
          <Chips items={c.models} />
        </dd>
      </div>
      <div>
        <dt>Requests</dt>
        <dd>
          {c.variants.length} × {c.models.length} × {formatInt(c.golden.cases)}
          {c.repeats > 1 ? ` × ${c.repeats} repeats` : ''} ={' '}
          <strong>{formatInt(result.estimate.cells)}</strong>
          <span className="muted">
            {' '}
            · ≤ {formatInt(c.maxTokens)} tokens out
            {c.temperature !== null ? ` · temperature ${c.temperature}` : ''} · {c.concurrency} at once
          </span>
        </dd>
      </div>
      <div>
        <dt>Budget</dt>
        <dd data-testid="bench-budget">
          {c.budgetUsd === null ? <span className="bench-warning">none set</span> : formatUsd(c.budgetUsd)}
        </dd>
      </div>
    </dl>
  );
}

/** The worst-case cost per model, before anything is sent. */
export function EstimateTable({ result }: { result: BenchEstimateResult }) {
  const e = result.estimate;
  const within = result.withinBudget;
  return (
    <div className="bench-estimate" data-testid="bench-estimate">
      <table className="bench-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Input tokens
            </th>
            <th scope="col" className="num" title="Every answer at the config's maxTokens">
              Max output
            </th>
            <th scope="col" className="num">
              Worst case
            </th>
          </tr>
        </thead>
        <tbody>
          {e.perModel.map((m) => (
            <tr key={m.model} data-testid="estimate-row" data-model={m.model}>
              <th scope="row">
                {m.model}
                <span className="cell-sub">input counted with {m.inputMethod}</span>
              </th>
              <td className="num">{formatInt(m.cells)}</td>
              <td className="num" title={`Counted with ${m.inputMethod}`}>
                {/estimate/.test(m.inputMethod) ? '≈ ' : ''}
                {formatInt(m.inputTokens)}
              </td>
              <td className="num">{formatInt(m.outputTokens)}</td>
              <td className="num" title="Input at catalog prices plus every answer at max output tokens">
                {formatUsd(m.usd)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatInt(e.cells)}</td>
            <td className="num">{formatInt(e.inputTokens)}</td>
            <td className="num">{formatInt(e.outputTokens)}</td>
            <td className="num" data-testid="estimate-total">
              <strong>{formatUsd(e.usd)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="bench-budget-line">
        {within === null ? (
          <span className="bench-badge warning">no budget cap</span>
        ) : within ? (
          <span className="bench-badge ok" data-testid="within-budget">
            within the {formatUsd(result.config.budgetUsd)} budget
          </span>
        ) : (
          <span className="bench-badge bad" data-testid="over-budget">
            above the {formatUsd(result.config.budgetUsd)} budget
          </span>
        )}
        <span className="bench-note inline">Worst case: {e.method}.</span>
      </p>
    </div>
  );
}
