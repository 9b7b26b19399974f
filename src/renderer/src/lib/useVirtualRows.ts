import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

export interface VirtualRowsOptions {
  /** How many rows there are in all. */
  count: number;
  /** Every row's height in px (fixed by CSS; the arithmetic below relies on it). */
  rowHeight: number;
  /** Rows rendered beyond each edge of the viewport, so a fast scroll does not show blank space. */
  overscan?: number;
  /**
   * The viewport height when the container reports none: before its first layout, and under happy-dom,
   * which has no layout (tests may instead give the container a clientHeight).
   */
  fallbackHeight?: number;
  /** A sticky header inside the scroll container: its height is not room for rows. */
  headerRef?: RefObject<HTMLElement | null>;
}

export interface VirtualRows<E extends HTMLElement> {
  /** Put on the scroll container (the element with overflow: auto). */
  scrollRef: RefObject<E | null>;
  /** Put on the scroll container's onScroll. */
  onScroll: () => void;
  /** The rows to render: [start, end), the visible ones plus the overscan. */
  start: number;
  end: number;
  /** The rows at least partly in view: [first, last] (last < first when there is none). */
  first: number;
  last: number;
  /** How many whole rows fit in the viewport (a PageUp/PageDown step). */
  pageRows: number;
  /** Scrolls the least distance that shows row `index` whole. */
  scrollToIndex(index: number): void;
  scrollToTop(): void;
}

interface View {
  /** The first row at the top of the viewport. */
  top: number;
  /** Room for rows in px (the container's height less the sticky header). */
  height: number;
}

/**
 * Windowing for a long list of fixed-height rows in one scroll container: which rows to render for the
 * current scroll position, re-rendering only when that set changes (not on every scroll event). The caller
 * renders rows [start, end) between two spacers of `start × rowHeight` and `(count − end) × rowHeight` px.
 */
export function useVirtualRows<E extends HTMLElement = HTMLDivElement>(
  options: VirtualRowsOptions,
): VirtualRows<E> {
  const { count, rowHeight, overscan = 6, fallbackHeight = 480, headerRef } = options;
  const scrollRef = useRef<E | null>(null);
  const [view, setView] = useState<View>({ top: 0, height: fallbackHeight });

  const measure = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const header = headerRef?.current?.offsetHeight ?? 0;
    const height = el.clientHeight > 0 ? Math.max(rowHeight, el.clientHeight - header) : fallbackHeight;
    const top = Math.max(0, Math.floor(el.scrollTop / rowHeight));
    setView((v) => (v.top === top && v.height === height ? v : { top, height }));
  }, [rowHeight, fallbackHeight, headerRef]);

  useLayoutEffect(() => {
    measure();
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => measure());
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);

  const visible = Math.ceil(view.height / rowHeight) + 1;
  const top = Math.min(view.top, Math.max(0, count - 1));
  const start = Math.max(0, top - overscan);
  const end = Math.min(count, top + visible + overscan);
  const first = Math.min(top, count);
  const last = Math.min(count - 1, top + Math.ceil(view.height / rowHeight) - 1);
  const pageRows = Math.max(1, Math.floor(view.height / rowHeight));

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const room =
        el.clientHeight > 0 ? el.clientHeight - (headerRef?.current?.offsetHeight ?? 0) : view.height;
      const rowTop = index * rowHeight;
      if (rowTop < el.scrollTop) el.scrollTop = rowTop;
      else if (rowTop + rowHeight > el.scrollTop + room) el.scrollTop = rowTop + rowHeight - room;
      // the scroll event comes a frame later in a browser and never under happy-dom: render the new rows now
      measure();
    },
    [rowHeight, headerRef, view.height, measure],
  );

  const scrollToTop = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = 0;
    measure();
  }, [measure]);

  return { scrollRef, onScroll: measure, start, end, first, last, pageRows, scrollToIndex, scrollToTop };
}
