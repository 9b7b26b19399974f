import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitterProps {
  /** What it resizes, for assistive tech ("Resize the cost panel"). */
  label: string;
  /** The pane's width now, in CSS pixels. */
  value: number;
  min: number;
  max: number;
  /** Double-click puts this back. */
  defaultValue: number;
  onChange(width: number): void;
  /** Where the pane is: a pane on the left grows when dragged right, one on the right when dragged left. */
  pane: 'left' | 'right';
  className?: string;
}

const STEP = 24;

/**
 * A vertical drag handle between two panes: pointer drag, arrow keys (Home/End for the limits) and
 * double-click to reset. It is a focusable separator with its value, as WAI-ARIA's window splitter.
 */
export function Splitter({ label, value, min, max, defaultValue, onChange, pane, className }: SplitterProps) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  const sign = pane === 'left' ? 1 : -1;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { x: event.clientX, width: value };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onChange(drag.current.width + sign * (event.clientX - drag.current.x));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next =
      event.key === 'ArrowRight'
        ? value + sign * STEP
        : event.key === 'ArrowLeft'
          ? value - sign * STEP
          : event.key === 'Home'
            ? pane === 'left'
              ? min
              : max
            : event.key === 'End'
              ? pane === 'left'
                ? max
                : min
              : null;
    if (next === null) return;
    event.preventDefault();
    onChange(next);
  };

  return (
    <div
      className={className ? `panel-splitter ${className}` : 'panel-splitter'}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => onChange(defaultValue)}
      onKeyDown={onKeyDown}
      title="Drag to resize · double-click to reset"
    />
  );
}
