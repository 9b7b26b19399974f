import { useId, useMemo } from 'react';
import { openCell } from '../../app/benchActions';
import { formatInt } from '../../lib/format';
import { useBenchStore } from '../../stores/bench';
import type { BenchReport } from '../../../../shared/bench';
import { Icon } from '../../components/Icon';
import { cellGrid, cellState, outputSnippet } from './viewModel';

/** Cases per page of the per-case table. */
export const CASES_PER_PAGE = 25;

const STATE_LABEL = {
  pass: 'passed',
  fail: 'failed',
  error: 'error',
  skipped: 'skipped',
  pending: 'not run yet',
} as const;

/**
 * Every case (row) on every variant × model (column): pass or fail with the start of the answer. Click a
 * cell for its drill-down. Long sets are paged; "Failures only" keeps the cases where something failed.
 */
export function CellTable({ report }: { report: BenchReport }) {
  const filter = useBenchStore((s) => s.cellFilter);
  const setFilter = useBenchStore((s) => s.setCellFilter);
  const openId = useBenchStore((s) => s.cellId);
  const grid = useMemo(() => cellGrid(report), [report]);
  const failuresId = useId();
  const rows = filter.failuresOnly ? grid.rows.filter((r) => r.failing) : grid.rows;
  const pages = Math.max(1, Math.ceil(rows.length / CASES_PER_PAGE));
  const page = Math.min(filter.page, pages - 1);
  const shown = rows.slice(page * CASES_PER_PAGE, (page + 1) * CASES_PER_PAGE);

  return (
    <div className="bench-cells" data-testid="bench-cells">
      <div className="bench-cells-bar">
        <label className="bench-check" htmlFor={failuresId}>
          <input
            id={failuresId}
            type="checkbox"
            checked={filter.failuresOnly}
            onChange={(e) => setFilter({ failuresOnly: e.target.checked, page: 0 })}
            data-testid="cells-failures-only"
          />
          Failures only
        </label>
        <span className="bench-note inline">
          {formatInt(rows.length)} of {formatInt(grid.rows.length)} case{grid.rows.length === 1 ? '' : 's'}
          {grid.repeats ? ' (rows per repeat)' : ''} · click a cell for its request, answer and scores
        </span>
        {pages > 1 && (
          <span className="bench-pager" role="group" aria-label="Pages">
            <button
              type="button"
              className="button button-secondary small"
              disabled={page === 0}
              onClick={() => setFilter({ page: page - 1 })}
            >
              Previous
            </button>
            <span data-testid="cells-page">
              Page {page + 1} of {pages}
            </span>
            <button
              type="button"
              className="button button-secondary small"
              disabled={page >= pages - 1}
              onClick={() => setFilter({ page: page + 1 })}
            >
              Next
            </button>
          </span>
        )}
      </div>
      <div className="bench-table-wrap">
        <table className="bench-table bench-grid">
          <thead>
            <tr>
              <th scope="col">Case</th>
              {grid.columns.map((c) => (
                <th scope="col" key={c.key}>
                  {c.variant}
                  <span className="cell-sub">{c.model}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={`${row.caseId}#${row.repeat}`} data-testid="case-row" data-case={row.caseId}>
                <th scope="row" className="case-id">
                  {row.caseId}
                  {grid.repeats && <span className="cell-sub">repeat {row.repeat}</span>}
                </th>
                {grid.columns.map((col) => {
                  const cell = row.cells.get(col.key);
                  const state = cellState(cell);
                  if (!cell)
                    return (
                      <td key={col.key} className="grid-cell pending">
                        <span className="muted">—</span>
                      </td>
                    );
                  const label = `${row.caseId} on ${col.variant} × ${col.model}: ${STATE_LABEL[state]}`;
                  return (
                    <td key={col.key} className={`grid-cell ${state}`}>
                      <button
                        type="button"
                        className={openId === cell.cellId ? 'cell-button open' : 'cell-button'}
                        aria-label={label}
                        title={cell.error ? `${cell.error.code}: ${cell.error.message}` : cell.score?.reason}
                        onClick={() => void openCell(cell.cellId)}
                        data-testid="bench-cell"
                        data-cell-id={cell.cellId}
                        data-state={state}
                      >
                        <span className={`cell-mark ${state}`} aria-hidden="true">
                          {state === 'pass' ? (
                            <Icon name="check" />
                          ) : state === 'fail' ? (
                            <Icon name="close" />
                          ) : (
                            '!'
                          )}
                        </span>
                        <span className="cell-text">
                          {cell.status === 'ok'
                            ? outputSnippet(cell.output) || '(empty answer)'
                            : cell.status === 'error'
                              ? (cell.error?.code ?? 'error')
                              : `skipped${cell.skipReason ? ` (${cell.skipReason})` : ''}`}
                        </span>
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
