import type { BenchReport } from '../../../../shared/bench';
import { formatInt, formatUsd } from '../../lib/format';
import { ciText, groupKey, latencyPair, passRateText, pct, shortUsd, tokensText } from './viewModel';

/** The per variant × model table: pass rate with its interval, score, tokens, cost, latency. */
export function GroupTable({ report }: { report: BenchReport }) {
  const cheapest = report.cheapest ? groupKey(report.cheapest) : null;
  const baseline = report.config.baseline;
  return (
    <div className="bench-table-wrap">
      <table className="bench-table bench-groups" data-testid="bench-groups">
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Model</th>
            <th scope="col" className="num" title="Scored cells that passed, with the 95% Wilson interval">
              Pass rate
            </th>
            <th scope="col" className="num" title="Mean weighted score of the scored cells (0–100%)">
              Score
            </th>
            <th
              scope="col"
              className="num"
              title="Provider-reported tokens (cached answers count their call)"
            >
              Tokens
            </th>
            <th
              scope="col"
              className="num"
              title="Catalog prices × provider-reported usage, cached answers at their original cost; per case and per 1,000 requests"
            >
              Cost / case
            </th>
            <th
              scope="col"
              className="num"
              title="Provider call latency of fresh answers (cached ones took none)"
            >
              Latency p50 / p95
            </th>
            <th scope="col" className="num" title="What this run paid (cached answers cost 0)">
              Spent
            </th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((g) => {
            const key = groupKey(g);
            return (
              <tr
                key={key}
                data-testid="group-row"
                data-variant={g.variant}
                data-model={g.model}
                className={key === cheapest ? 'cheapest' : undefined}
              >
                <th scope="row">
                  {g.variant}
                  {(g.variant === baseline || key === cheapest) && (
                    <span className="cell-sub">
                      {g.variant === baseline && <span className="bench-tag first">baseline</span>}
                      {key === cheapest && <span className="bench-tag ok first">cheapest passing</span>}
                    </span>
                  )}
                </th>
                <td>{g.model}</td>
                <td className="num" title={ciText(g)}>
                  <span className="pass-rate">{passRateText(g)}</span>
                  <span className="cell-sub">{g.n > 0 ? ciText(g) : ''}</span>
                </td>
                <td className="num">{g.n === 0 ? '—' : pct(g.meanScore)}</td>
                <td className="num">
                  {tokensText(g.tokens)}
                  {(g.errors > 0 || g.skipped > 0 || g.cached > 0) && (
                    <span className="cell-sub">
                      {[
                        g.cached ? `${formatInt(g.cached)} cached` : '',
                        g.errors ? `${formatInt(g.errors)} errors` : '',
                        g.skipped ? `${formatInt(g.skipped)} skipped` : '',
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  )}
                </td>
                <td className="num">
                  {shortUsd(g.costPerCase)}
                  <span className="cell-sub">
                    {g.costPer1k === null ? '' : `${formatUsd(g.costPer1k)} per 1k`}
                  </span>
                </td>
                <td className="num">{latencyPair(g.latencyP50Ms, g.latencyP95Ms)}</td>
                <td className="num">{formatUsd(g.spentUsd)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The verdict of every variant against the baseline, per model, and the cheapest passing pair. */
export function Verdicts({ report }: { report: BenchReport }) {
  return (
    <div className="bench-verdicts" data-testid="bench-verdicts">
      {report.deltas.length > 0 && (
        <ul className="verdict-list">
          {report.deltas.map((d) => (
            <li
              key={`${d.variant}:${d.model}`}
              className={`verdict ${d.verdict}`}
              data-testid="verdict"
              data-verdict={d.verdict}
            >
              <span className={`bench-badge ${d.verdict === 'kept' ? 'ok' : 'bad'}`}>
                {d.verdict === 'kept' ? 'kept' : 'dropped'}
              </span>
              <span className="verdict-who">
                <strong>{d.variant}</strong> vs {d.baseline} on <strong>{d.model}</strong>
              </span>
              <span className="verdict-summary">{d.summary}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="bench-cheapest" data-testid="bench-cheapest">
        {report.cheapest ? (
          <>
            <span className="bench-badge ok">cheapest passing</span>{' '}
            <strong>{report.cheapest.variant}</strong> × <strong>{report.cheapest.model}</strong>:{' '}
            {shortUsd(report.cheapest.costPerCase)} per case, {passRateText(report.cheapest)} pass (threshold{' '}
            {pct(report.cheapestAt, 0)})
          </>
        ) : (
          <>
            <span className="bench-badge warning">none passing</span> No variant × model reached{' '}
            {pct(report.cheapestAt, 0)}.
          </>
        )}
      </p>
      {report.thresholds.failures.length > 0 && (
        <ul className="bench-failures">
          {report.thresholds.failures.map((f) => (
            <li key={`${f.kind}:${f.variant}:${f.model}`}>{f.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
