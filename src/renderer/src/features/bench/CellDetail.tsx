import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { openCell } from '../../app/benchActions';
import { Icon } from '../../components/Icon';
import { trapTab } from '../../components/focusTrap';
import { formatInt, formatUsd } from '../../lib/format';
import { useBenchStore } from '../../stores/bench';
import type { BenchCellDetail } from '../../../../shared/bench';
import { WordDiff } from './WordDiff';
import { cellState, formatMs, pct } from './viewModel';

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

function Request({ detail }: { detail: BenchCellDetail }) {
  const r = detail.request;
  if (!r) return <p className="bench-note">The request was not stored for this cell.</p>;
  return (
    <div className="cell-request" data-testid="cell-request">
      <p className="bench-note">
        {r.provider} · {r.model} · max {formatInt(r.maxTokens)} tokens
        {r.temperature !== undefined ? ` · temperature ${r.temperature}` : ''}
      </p>
      {r.system !== undefined && (
        <div className="message">
          <div className="message-role">system</div>
          <pre className="prompt-text">{r.system}</pre>
        </div>
      )}
      {r.messages.map((m, i) => (
        <div className="message" key={i}>
          <div className="message-role">{m.role}</div>
          <pre className="prompt-text">{m.content}</pre>
        </div>
      ))}
    </div>
  );
}

function Assertions({ detail }: { detail: BenchCellDetail }) {
  const score = detail.cell.score;
  if (!score) return <p className="bench-note">Not scored: the cell has no answer.</p>;
  return (
    <table className="bench-table cell-assertions" data-testid="cell-assertions">
      <thead>
        <tr>
          <th scope="col">Assertion</th>
          <th scope="col" className="num">
            Weight
          </th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col">Result</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {score.results.map((a, i) => (
          <tr key={i} data-testid="assertion-row" data-pass={a.pass}>
            <th scope="row">
              {a.name ?? a.type}
              {a.name && <span className="cell-sub">{a.type}</span>}
            </th>
            <td className="num">{a.weight}</td>
            <td className="num">{pct(a.score, 0)}</td>
            <td>
              <span className={`bench-badge ${a.pass ? 'ok' : 'bad'}`}>{a.pass ? 'pass' : 'fail'}</span>
            </td>
            <td className="reason">
              {a.reason}
              {a.error && (
                <span className="cell-sub">
                  <code>{a.error.code}</code> {a.error.message}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Case</th>
          <td />
          <td className="num">{pct(score.score, 0)}</td>
          <td>
            <span className={`bench-badge ${score.pass ? 'ok' : 'bad'}`}>{score.pass ? 'pass' : 'fail'}</span>
          </td>
          <td className="reason">{score.reason}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function Facts({ detail }: { detail: BenchCellDetail }) {
  const c = detail.cell;
  const u = c.usage;
  return (
    <p className="cell-facts">
      {u && (
        <span title="As the provider reported them">
          Tokens {formatInt(u.inputTokens)} in · {formatInt(u.outputTokens)} out
        </span>
      )}
      <span title="Catalog prices × provider-reported usage">
        Cost {formatUsd(c.listCostUsd ?? c.costUsd)}
        {c.cached ? ' (from the cache: this run paid $0)' : ''}
      </span>
      {c.latencyMs !== undefined && (
        <span title="From sending the request to the last byte of the answer">
          Latency {formatMs(c.latencyMs)}
        </span>
      )}
      {c.error && (
        <span className="bench-warning">
          <code>{c.error.code}</code> {c.error.message}
        </span>
      )}
      {c.status === 'skipped' && <span className="bench-warning">skipped ({c.skipReason ?? 'unknown'})</span>}
    </p>
  );
}

/**
 * One cell's drill-down: the case, the rendered request (system and messages), the answer next to the
 * baseline variant's with a word diff, and every assertion with its score and reason. Arrow buttons walk
 * the run's cells.
 */
export function CellDetail() {
  const cellId = useBenchStore((s) => s.cellId);
  const detail = useBenchStore((s) => s.cell);
  const error = useBenchStore((s) => s.cellError);
  const report = useBenchStore((s) => s.report);
  const close = useBenchStore((s) => s.closeCell);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => before?.focus?.();
  }, []);

  if (cellId === null) return null;
  const cells = report?.cells ?? [];
  const index = cells.findIndex((c) => c.cellId === cellId);
  const cell = detail?.cell ?? cells[index];
  const go = (delta: number) => {
    const next = cells[index + delta];
    if (next) void openCell(next.cellId);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
    trapTab(event, ref.current);
  };
  const state = cellState(cell);
  const baselineName = report?.config.baseline ?? 'baseline';

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal cell-detail"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        onKeyDown={onKeyDown}
        data-testid="cell-detail"
      >
        <header className="cell-detail-head">
          <h2 id={titleId} className="modal-title">
            {cell ? (
              <>
                {cell.caseId}
                <span className="muted">
                  {' '}
                  · {cell.variant} × {cell.model}
                  {cell.repeat > 1 ? ` · repeat ${cell.repeat}` : ''}
                </span>
              </>
            ) : (
              cellId
            )}
          </h2>
          {cell && (
            <span className={`bench-badge ${state === 'pass' ? 'ok' : state === 'fail' ? 'bad' : 'warning'}`}>
              {state}
              {cell.score ? ` · ${pct(cell.score.score, 0)}` : ''}
            </span>
          )}
          <span className="cell-detail-nav">
            <button
              type="button"
              className="button button-secondary small"
              disabled={index <= 0}
              onClick={() => go(-1)}
              aria-label="Previous cell"
            >
              <Icon name="up" />
            </button>
            <button
              type="button"
              className="button button-secondary small"
              disabled={index < 0 || index >= cells.length - 1}
              onClick={() => go(1)}
              aria-label="Next cell"
            >
              <Icon name="down" />
            </button>
            <button
              type="button"
              className="button button-ghost small"
              onClick={close}
              aria-label="Close"
              data-autofocus
              data-testid="cell-detail-close"
            >
              <Icon name="close" />
            </button>
          </span>
        </header>
        <div className="cell-detail-body">
          {!detail && !error && <p className="bench-note">Loading the cell…</p>}
          {error && (
            <p className="bench-error" role="alert">
              {error.message} <code>{error.code}</code>
            </p>
          )}
          {detail && (
            <>
              <Facts detail={detail} />
              <section className="cell-section">
                <h3>Case</h3>
                <dl className="case-vars">
                  {Object.entries(detail.vars).map(([k, v]) => (
                    <div key={k}>
                      <dt>{k}</dt>
                      <dd>{valueText(v)}</dd>
                    </div>
                  ))}
                  {detail.expected !== undefined && (
                    <div>
                      <dt>expected</dt>
                      <dd data-testid="cell-expected">{detail.expected}</dd>
                    </div>
                  )}
                </dl>
              </section>
              <section className="cell-section">
                <h3>Answer</h3>
                {detail.baseline ? (
                  <WordDiff
                    before={detail.baseline.output ?? ''}
                    after={detail.cell.output ?? ''}
                    beforeLabel={`${baselineName} (baseline)${detail.baseline.score ? ` · ${detail.baseline.score.pass ? 'pass' : 'fail'}` : ''}`}
                    afterLabel={`${detail.cell.variant}${detail.cell.score ? ` · ${detail.cell.score.pass ? 'pass' : 'fail'}` : ''}`}
                  />
                ) : (
                  <pre className="output-text" data-testid="cell-output">
                    {detail.cell.output ?? '(no answer)'}
                  </pre>
                )}
                {!detail.baseline && detail.cell.variant === baselineName && (
                  <p className="bench-note">This is the baseline variant.</p>
                )}
              </section>
              <section className="cell-section">
                <h3>Scores</h3>
                <Assertions detail={detail} />
              </section>
              <section className="cell-section">
                <h3>Rendered request</h3>
                <Request detail={detail} />
              </section>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
