import type { BenchReport } from '../../../../shared/bench';
import { modelColor, niceTicks, pct, scatterPoints, shortUsd } from './viewModel';

const W = 460;
const H = 250;
const M = { left: 48, right: 18, top: 14, bottom: 36 };

/**
 * Cost per case against pass rate, one point per variant × model with its 95% interval; the Pareto front
 * (nothing else is both cheaper and better) is joined and filled, the cheapest passing point ringed.
 */
export function Scatter({ report }: { report: Pick<BenchReport, 'groups' | 'cheapest' | 'config'> }) {
  const { points, front } = scatterPoints(report);
  if (points.length === 0) {
    return <p className="bench-note">No variant × model has both a scored cell and a price yet.</p>;
  }
  const models = report.config.models;
  const variants = report.config.variants;
  const xTicks = niceTicks(Math.max(...points.map((p) => p.cost)) * 1.1);
  const xMax = xTicks[xTicks.length - 1]!;
  const yMin = Math.max(0, Math.floor(Math.min(...points.map((p) => p.low)) * 5) / 5);
  const yTicks: number[] = [];
  for (let v = yMin; v <= 1 + 1e-9; v += (1 - yMin) / 4 || 0.25) yTicks.push(Number(v.toFixed(4)));
  const x = (v: number) => M.left + (v / xMax) * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - (v - yMin) / (1 - yMin || 1)) * (H - M.top - M.bottom);
  const frontPath = front.map(
    (p, i) => `${i === 0 ? 'M' : 'L'}${x(p.cost).toFixed(1)},${y(p.quality).toFixed(1)}`,
  );

  return (
    <figure className="bench-scatter" data-testid="bench-scatter">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Cost per case against pass rate for ${points.length} variant × model pairs; Pareto front: ${front
          .map((p) => `${p.variant} × ${p.model}`)
          .join(', ')}`}
      >
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line className="grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className="tick" x={M.left - 6} y={y(t) + 3.5} textAnchor="end">
              {pct(t, 0)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <g key={`x${t}`}>
            <line className="grid" x1={x(t)} x2={x(t)} y1={M.top} y2={H - M.bottom} />
            <text className="tick" x={x(t)} y={H - M.bottom + 14} textAnchor="middle">
              {shortUsd(t)}
            </text>
          </g>
        ))}
        <text className="axis-label" x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">
          cost per case (catalog prices, provider-reported tokens) →
        </text>
        <text
          className="axis-label"
          transform={`translate(11 ${(M.top + H - M.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          pass rate →
        </text>
        {frontPath.length > 1 && <path className="pareto-line" d={frontPath.join(' ')} />}
        {points.map((p) => {
          const color = modelColor(models, p.model);
          const square = variants.indexOf(p.variant) % 2 === 1;
          const cx = x(p.cost);
          const cy = y(p.quality);
          return (
            <g
              key={p.key}
              data-testid="scatter-point"
              data-pareto={p.pareto}
              data-variant={p.variant}
              data-model={p.model}
            >
              <title>
                {`${p.variant} × ${p.model}: ${pct(p.quality)} pass (95% CI ${pct(p.low)}–${pct(p.high)}), ${shortUsd(p.cost)} per case${p.pareto ? ', on the Pareto front' : ''}${p.cheapest ? ', cheapest passing' : ''}`}
              </title>
              <line className="ci" x1={cx} x2={cx} y1={y(p.low)} y2={y(p.high)} stroke={color} />
              {p.cheapest && <circle className="cheapest-ring" cx={cx} cy={cy} r={9} />}
              {square ? (
                <rect
                  x={cx - 4.5}
                  y={cy - 4.5}
                  width={9}
                  height={9}
                  stroke={color}
                  fill={p.pareto ? color : 'var(--bg-editor)'}
                  strokeWidth={1.6}
                />
              ) : (
                <circle
                  cx={cx}
                  cy={cy}
                  r={5}
                  stroke={color}
                  fill={p.pareto ? color : 'var(--bg-editor)'}
                  strokeWidth={1.6}
                />
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="bench-legend">
        {models.map((m) => (
          <span key={m} className="bench-legend-item">
            <span className="bench-legend-swatch" style={{ background: modelColor(models, m) }} />
            {m}
          </span>
        ))}
        {variants.map((v, i) => (
          <span key={v} className="bench-legend-item">
            <span className={i % 2 === 1 ? 'bench-legend-shape square' : 'bench-legend-shape'} />
            {v}
          </span>
        ))}
        <span className="bench-legend-item">
          <span className="bench-legend-shape filled" />
          Pareto front
        </span>
        {report.cheapest && (
          <span className="bench-legend-item">
            <span className="bench-legend-shape ring" />
            cheapest passing
          </span>
        )}
      </figcaption>
    </figure>
  );
}
