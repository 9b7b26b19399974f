import { formatUsd } from '../../lib/format';

export const SEGMENTS = ['input', 'output', 'cache', 'embeddings', 'other'] as const;
export type Segment = (typeof SEGMENTS)[number];
export type Breakdown = Record<Segment, number>;

export const SEGMENT_LABELS: Record<Segment, string> = {
  input: 'Input',
  output: 'Output',
  cache: 'Cache',
  embeddings: 'Embeddings',
  other: 'Other',
};

export interface ChartBar {
  model: string;
  label: string;
  /** 'compared' bars belong to the prompt the open one is compared with. */
  variant: 'current' | 'compared';
  total: number | null;
  breakdown: Breakdown | null;
}

const WIDTH = 400;
const LABEL_W = 124;
const VALUE_W = 64;
const ROW_H = 22;
const BAR_H = 12;
const PAD_TOP = 4;

/** "GPT-4o: $229.30 (input $84.24, output $135.00, cache $0, embeddings $0.06, other $10.00)". */
export function describeBar(bar: ChartBar): string {
  const name = bar.variant === 'compared' ? `${bar.label} (compared prompt)` : bar.label;
  if (bar.total === null || bar.breakdown === null) return `${name}: no price`;
  const parts = SEGMENTS.map((s) => `${s} ${formatUsd(bar.breakdown![s])}`).join(', ');
  return `${name}: ${formatUsd(bar.total)} (${parts})`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Horizontal stacked bars, one per model (two when comparing): where the money of the period goes. Plain
 * SVG, no chart library; the whole figure is one image for assistive technology, its label says every number.
 */
export function ProjectionChart({ bars, period }: { bars: ChartBar[]; period: string }) {
  const max = Math.max(0, ...bars.map((b) => b.total ?? 0));
  const barArea = WIDTH - LABEL_W - VALUE_W;
  const height = PAD_TOP * 2 + bars.length * ROW_H;
  const label = `Projected cost over ${period} by model. ${bars.map(describeBar).join('; ')}.`;

  return (
    <figure className="projection-chart" data-testid="projection-chart">
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((bar, i) => {
          const y = PAD_TOP + i * ROW_H;
          const barY = y + (ROW_H - BAR_H) / 2;
          let x = LABEL_W;
          const scale = max > 0 ? barArea / max : 0;
          const rowLabel = bar.variant === 'compared' ? 'compared' : truncate(bar.label, 20);
          return (
            <g
              key={`${bar.model}:${bar.variant}`}
              data-testid="projection-bar"
              data-model={bar.model}
              data-variant={bar.variant}
            >
              <title>{describeBar(bar)}</title>
              <text
                x={bar.variant === 'compared' ? 12 : 0}
                y={y + ROW_H / 2}
                dominantBaseline="central"
                className={bar.variant === 'compared' ? 'chart-label sub' : 'chart-label'}
              >
                {rowLabel}
              </text>
              <rect x={LABEL_W} y={barY} width={barArea} height={BAR_H} rx={2} className="chart-track" />
              {bar.breakdown &&
                SEGMENTS.map((s) => {
                  const w = bar.breakdown![s] * scale;
                  if (w <= 0) return null;
                  const rect = (
                    <rect
                      key={s}
                      x={x}
                      y={barY}
                      width={w}
                      height={BAR_H}
                      className={`seg seg-${s}${bar.variant === 'compared' ? ' compared' : ''}`}
                    />
                  );
                  x += w;
                  return rect;
                })}
              <text
                x={WIDTH}
                y={y + ROW_H / 2}
                textAnchor="end"
                dominantBaseline="central"
                className={bar.total === null ? 'chart-value warning' : 'chart-value'}
              >
                {bar.total === null ? 'no price' : formatUsd(bar.total)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {SEGMENTS.map((s) => (
          <span key={s} className="legend-item">
            <span className={`legend-swatch seg-${s}`} aria-hidden="true" />
            {SEGMENT_LABELS[s]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
