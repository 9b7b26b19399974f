import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
} from 'react';
import { openCell } from '../../app/benchActions';
import { formatInt } from '../../lib/format';
import { useVirtualRows } from '../../lib/useVirtualRows';
import { useBenchStore } from '../../stores/bench';
import type { BenchReport } from '../../../../shared/bench';
import { cellGrid, cellState, cellText, type CellGrid, type GridRow } from './viewModel';

/** Every row's height in px; bench.css gives `.grid-row` the same. */
export const ROW_HEIGHT = 32;
/** Rows rendered above and below the viewport. */
export const OVERSCAN = 8;
/** The viewport's height before it has one (and under happy-dom, which has no layout). */
export const FALLBACK_VIEWPORT = 480;
/** The case column's width and the least width of a variant × model column, in px. */
const CASE_COL = 96;
const MIN_COL = 132;

const STATE_LABEL = {
  pass: 'passed',
  fail: 'failed',
  error: 'error',
  skipped: 'skipped',
  pending: 'not run yet',
} as const;

type Columns = CellGrid['columns'];

interface RowProps {
  row: GridRow;
  /** Position in the shown (filtered) rows. */
  index: number;
  columns: Columns;
  repeats: boolean;
  /** The column that takes Tab focus in this row (the roving tabindex), or -1. */
  tabCol: number;
  openId: string | null;
}

/**
 * One case, placed at its own offset in the body (rows are absolutely positioned and contained, so a row
 * coming or going lays out and paints only itself). Memoised: a scroll renders only the rows that came into
 * view.
 */
const CaseRow = memo(function CaseRow({ row, index, columns, repeats, tabCol, openId }: RowProps) {
  return (
    <div
      role="row"
      className="grid-row"
      style={{ top: index * ROW_HEIGHT }}
      aria-rowindex={index + 2}
      data-testid="case-row"
      data-case={row.caseId}
    >
      <div role="rowheader" className="case-id" title={row.caseId}>
        {row.caseId}
        {repeats && <span className="cell-sub">repeat {row.repeat}</span>}
      </div>
      {columns.map((col, ci) => {
        const cell = row.cells.get(col.key);
        const state = cellState(cell);
        const label = `${row.caseId} on ${col.variant} × ${col.model}: ${STATE_LABEL[state]}`;
        const pos = `${index}:${ci}`;
        const tabIndex = ci === tabCol ? 0 : -1;
        if (!cell)
          return (
            <div
              key={col.key}
              role="gridcell"
              className="grid-cell pending"
              tabIndex={tabIndex}
              aria-label={label}
              data-pos={pos}
            >
              <span className="muted" aria-hidden="true">
                —
              </span>
            </div>
          );
        return (
          <div key={col.key} role="gridcell" className={`grid-cell ${state}`}>
            <button
              type="button"
              className={openId === cell.cellId ? 'cell-button open' : 'cell-button'}
              aria-label={label}
              title={cell.error ? `${cell.error.code}: ${cell.error.message}` : cell.score?.reason}
              tabIndex={tabIndex}
              onClick={() => void openCell(cell.cellId)}
              data-testid="bench-cell"
              data-cell-id={cell.cellId}
              data-state={state}
              data-pos={pos}
            >
              <span className={`cell-mark ${state}`} aria-hidden="true">
                {state === 'pass' || state === 'fail' ? null : '!'}
              </span>
              <span className="cell-text">{cellText(cell)}</span>
            </button>
          </div>
        );
      })}
    </div>
  );
});

/** Where a key moves the focused cell, or null for keys the grid leaves alone. */
function nextPosition(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey'>,
  at: { row: number; col: number },
  size: { rows: number; cols: number; page: number },
): { row: number; col: number } | null {
  const whole = e.ctrlKey || e.metaKey;
  let { row, col } = at;
  switch (e.key) {
    case 'ArrowDown':
      row += 1;
      break;
    case 'ArrowUp':
      row -= 1;
      break;
    case 'ArrowRight':
      col += 1;
      break;
    case 'ArrowLeft':
      col -= 1;
      break;
    case 'PageDown':
      row += size.page;
      break;
    case 'PageUp':
      row -= size.page;
      break;
    case 'Home':
      if (whole) row = 0;
      col = 0;
      break;
    case 'End':
      if (whole) row = size.rows - 1;
      col = size.cols - 1;
      break;
    default:
      return null;
  }
  return {
    row: Math.max(0, Math.min(size.rows - 1, row)),
    col: Math.max(0, Math.min(size.cols - 1, col)),
  };
}

/**
 * Every case (row) on every variant × model (column): pass or fail with the start of the answer. Click a
 * cell (or Enter on it) for its drill-down; "Failures only" keeps the cases where something failed.
 * All cases sit in one scroll container but only the rows in view (and a few around) are rendered, so a
 * 20,000-cell run scrolls like a 20-cell one. It is an ARIA grid: arrow keys move between cells (one cell
 * takes Tab focus), Home/End go to the row's ends, Ctrl+Home/End to the first and last case,
 * PageUp/PageDown by a screenful; aria-rowcount and aria-rowindex tell screen readers the full size.
 */
export function CellTable({ report }: { report: BenchReport }) {
  const failuresOnly = useBenchStore((s) => s.cellFilter.failuresOnly);
  const setFilter = useBenchStore((s) => s.setCellFilter);
  const openId = useBenchStore((s) => s.cellId);
  const grid = useMemo(() => cellGrid(report), [report]);
  const rows = useMemo(
    () => (failuresOnly ? grid.rows.filter((r) => r.failing) : grid.rows),
    [grid, failuresOnly],
  );
  const failuresId = useId();
  const headerRef = useRef<HTMLDivElement>(null);
  const v = useVirtualRows<HTMLDivElement>({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    overscan: OVERSCAN,
    fallbackHeight: FALLBACK_VIEWPORT,
    headerRef,
  });
  const cols = grid.columns.length;
  const [active, setActive] = useState({ row: 0, col: 0 });
  const activeRow = Math.max(0, Math.min(active.row, rows.length - 1));
  const activeCol = Math.max(0, Math.min(active.col, cols - 1));
  /** Set by a key that moved the active cell: focus follows it once its row is rendered. */
  const focusNext = useRef(false);

  // another filter is another list: start at its top
  const { scrollToTop } = v;
  useEffect(() => {
    setActive((a) => (a.row === 0 && a.col === 0 ? a : { row: 0, col: 0 }));
    scrollToTop();
  }, [failuresOnly, scrollToTop]);

  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    v.scrollRef.current?.querySelector<HTMLElement>(`[data-pos="${activeRow}:${activeCol}"]`)?.focus();
  }, [activeRow, activeCol, v.scrollRef]);

  const { scrollToIndex, pageRows } = v;
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!(e.target as HTMLElement).dataset.pos) return;
      const next = nextPosition(
        e,
        { row: activeRow, col: activeCol },
        { rows: rows.length, cols, page: pageRows },
      );
      if (!next) return;
      e.preventDefault();
      scrollToIndex(next.row);
      focusNext.current = true;
      setActive(next);
    },
    [activeRow, activeCol, rows.length, cols, pageRows, scrollToIndex],
  );

  // a click or Tab into a cell makes it the one Tab comes back to
  const onFocus = useCallback((e: FocusEvent<HTMLDivElement>) => {
    const pos = (e.target as HTMLElement).dataset.pos;
    if (!pos) return;
    const [row, col] = pos.split(':').map(Number) as [number, number];
    setActive((a) => (a.row === row && a.col === col ? a : { row, col }));
  }, []);

  // the rendered rows: the window, plus the active row wherever it is, so focus is never lost to a scroll
  const indices: number[] = [];
  if (rows.length && activeRow < v.start) indices.push(activeRow);
  for (let i = v.start; i < v.end; i++) indices.push(i);
  if (rows.length && activeRow >= v.end) indices.push(activeRow);

  return (
    <div className="bench-cells" data-testid="bench-cells">
      <div className="bench-cells-bar">
        <label className="bench-check" htmlFor={failuresId}>
          <input
            id={failuresId}
            type="checkbox"
            checked={failuresOnly}
            onChange={(e) => setFilter({ failuresOnly: e.target.checked })}
            data-testid="cells-failures-only"
          />
          Failures only
        </label>
        <span className="bench-note inline" data-testid="cells-count">
          {failuresOnly ? `${formatInt(rows.length)} of ` : ''}
          {formatInt(grid.rows.length)} case{grid.rows.length === 1 ? '' : 's'}
          {grid.repeats ? ' (rows per repeat)' : ''} · click a cell for its request, answer and scores
        </span>
        {rows.length > v.pageRows && (
          <span className="bench-note inline bench-cells-range" data-testid="cells-range">
            rows {formatInt(v.first + 1)}–{formatInt(Math.min(v.last + 1, rows.length))} of{' '}
            {formatInt(rows.length)}
          </span>
        )}
      </div>
      <div className="bench-cells-scroll" ref={v.scrollRef} onScroll={v.onScroll} data-testid="cells-scroll">
        <div
          className="bench-grid"
          role="grid"
          aria-label="Per-case results"
          aria-rowcount={rows.length + 1}
          aria-colcount={cols + 1}
          style={
            {
              '--grid-columns': `${CASE_COL}px repeat(${cols}, minmax(${MIN_COL}px, 1fr))`,
              minWidth: CASE_COL + cols * MIN_COL,
            } as CSSProperties
          }
          onKeyDown={onKeyDown}
          onFocus={onFocus}
        >
          <div role="rowgroup" className="grid-head" ref={headerRef}>
            <div role="row" className="grid-head-row" aria-rowindex={1}>
              <div role="columnheader">Case</div>
              {grid.columns.map((c) => (
                <div role="columnheader" key={c.key} title={`${c.variant} × ${c.model}`}>
                  {c.variant}
                  <span className="cell-sub">{c.model}</span>
                </div>
              ))}
            </div>
          </div>
          <div role="rowgroup" className="grid-body" style={{ height: rows.length * ROW_HEIGHT }}>
            {indices.map((i) => {
              const row = rows[i]!;
              return (
                <CaseRow
                  key={`${row.caseId}#${row.repeat}`}
                  row={row}
                  index={i}
                  columns={grid.columns}
                  repeats={grid.repeats}
                  tabCol={i === activeRow ? activeCol : -1}
                  openId={openId}
                />
              );
            })}
          </div>
        </div>
        {rows.length === 0 && (
          <p className="bench-note bench-cells-empty">
            {failuresOnly ? 'No case failed.' : 'No case has a result yet.'}
          </p>
        )}
      </div>
    </div>
  );
}
