import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { Icon } from '../../components/Icon';
import { trapTab } from '../../components/focusTrap';
import { useBenchStore } from '../../stores/bench';
import { runTime } from './RunsList';
import { pct, shortUsd, signedPts } from './viewModel';

/** A row of the comparison, read defensively: bench.compare's output is typed loosely in the contract. */
interface Row {
  variant: string;
  model: string;
  passRateA: number | null;
  passRateB: number | null;
  passRateDeltaPts: number | null;
  costPerCaseA: number | null;
  costPerCaseB: number | null;
  costDeltaPct: number | null;
}

interface Flip {
  cellId: string;
  variant: string;
  model: string;
  caseId: string;
  reason: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : String(v));
const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];

/** The parts of a comparison the dialog shows; null when the shape is not the one known. */
export function readComparison(r: Record<string, unknown>): {
  rows: Row[];
  regressions: Flip[];
  fixes: Flip[];
  comparedCells: number | null;
} | null {
  if (!Array.isArray(r.rows)) return null;
  const flips = (v: unknown): Flip[] =>
    list(v).map((f) => ({
      cellId: str(f.cellId),
      variant: str(f.variant),
      model: str(f.model),
      caseId: str(f.caseId),
      reason: str(f.reason),
    }));
  return {
    rows: list(r.rows).map((x) => ({
      variant: str(x.variant),
      model: str(x.model),
      passRateA: num(x.passRateA),
      passRateB: num(x.passRateB),
      passRateDeltaPts: num(x.passRateDeltaPts),
      costPerCaseA: num(x.costPerCaseA),
      costPerCaseB: num(x.costPerCaseB),
      costDeltaPct: num(x.costDeltaPct),
    })),
    regressions: flips(r.regressions),
    fixes: flips(r.fixes),
    comparedCells: num(r.comparedCells),
  };
}

function FlipList({ title, flips, kind }: { title: string; flips: Flip[]; kind: 'bad' | 'ok' }) {
  return (
    <section className="cell-section">
      <h3>
        {title} <span className={`bench-badge ${kind}`}>{flips.length}</span>
      </h3>
      {flips.length === 0 ? (
        <p className="bench-note">None.</p>
      ) : (
        <ul className="flip-list">
          {flips.slice(0, 200).map((f) => (
            <li key={f.cellId}>
              <strong>{f.caseId}</strong>{' '}
              <span className="muted">
                {f.variant} × {f.model}
              </span>{' '}
              — {f.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Two stored runs side by side: per variant × model before → after, and the cases that flipped. */
export function CompareDialog() {
  const comparison = useBenchStore((s) => s.comparison);
  const runs = useBenchStore((s) => s.runs);
  const setComparison = useBenchStore((s) => s.setComparison);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => before?.focus?.();
  }, []);
  if (!comparison) return null;
  const close = () => setComparison(null);
  const data = readComparison(comparison.result);
  const label = (id: string) => {
    const r = runs.find((x) => x.runId === id);
    return r ? runTime(r.createdAt) : id;
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
    trapTab(event, ref.current);
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal cell-detail"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        onKeyDown={onKeyDown}
        data-testid="compare-dialog"
      >
        <header className="cell-detail-head">
          <h2 id={titleId} className="modal-title">
            Compare runs <span className="muted">{label(comparison.a)}</span> →{' '}
            <span className="muted">{label(comparison.b)}</span>
          </h2>
          <span className="cell-detail-nav">
            <button
              type="button"
              className="button button-ghost small"
              onClick={close}
              aria-label="Close"
              data-autofocus
            >
              <Icon name="close" />
            </button>
          </span>
        </header>
        <div className="cell-detail-body">
          {!data ? (
            <pre className="output-text">{JSON.stringify(comparison.result, null, 2)}</pre>
          ) : (
            <>
              <table className="bench-table" data-testid="compare-table">
                <thead>
                  <tr>
                    <th scope="col">Variant</th>
                    <th scope="col">Model</th>
                    <th scope="col" className="num">
                      Pass rate
                    </th>
                    <th scope="col" className="num">
                      Δ
                    </th>
                    <th scope="col" className="num">
                      Cost / case
                    </th>
                    <th scope="col" className="num">
                      Δ cost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={`${r.variant}:${r.model}`}>
                      <th scope="row">{r.variant}</th>
                      <td>{r.model}</td>
                      <td className="num">
                        {r.passRateA === null ? '—' : pct(r.passRateA)} →{' '}
                        {r.passRateB === null ? '—' : pct(r.passRateB)}
                      </td>
                      <td
                        className={`num ${r.passRateDeltaPts !== null && r.passRateDeltaPts < 0 ? 'negative' : ''}`}
                      >
                        {r.passRateDeltaPts === null ? '—' : signedPts(r.passRateDeltaPts)}
                      </td>
                      <td className="num">
                        {shortUsd(r.costPerCaseA)} → {shortUsd(r.costPerCaseB)}
                      </td>
                      <td className="num">
                        {r.costDeltaPct === null
                          ? '—'
                          : `${r.costDeltaPct < 0 ? '−' : '+'}${Math.abs(r.costDeltaPct).toFixed(0)}%`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {data.comparedCells !== null && (
                <p className="bench-note">{data.comparedCells} cells scored in both runs.</p>
              )}
              <FlipList title="Regressions (passed, now fail)" flips={data.regressions} kind="bad" />
              <FlipList title="Fixes (failed, now pass)" flips={data.fixes} kind="ok" />
            </>
          )}
        </div>
      </div>
    </div>
  );
}
