import type { SimulationResult } from '../../../../core/history/simulate';
import { formatInt } from '../../lib/format';
import { niceTicks, shortUsd } from '../bench/viewModel';

const W = 520;
const H = 318;
const M = { left: 54, right: 62, top: 22 };
/** The two panels, top to bottom: cost per turn (bars), cumulative cost (lines). */
const TOP = { y: M.top, h: 104 };
const BOTTOM = { y: 168, h: 112 };
const AXIS_Y = BOTTOM.y + BOTTOM.h;

/** Turn labels every 1, 2, 5, 10… turns, at most about 12 of them. */
function turnStep(turns: number): number {
  for (const s of [1, 2, 5, 10, 20, 50, 100, 200, 500]) if (turns / s <= 12) return s;
  return Math.ceil(turns / 12);
}

function yScale(top: number, height: number, max: number) {
  return (v: number) => top + height - (max > 0 ? (v / max) * height : 0);
}

function turnTitle(r: SimulationResult, t: number): string {
  const o = r.original;
  const p = r.policy;
  const calls = p.summariserCalls[t]! + p.summariserCached[t]!;
  const lines = [
    `Turn ${r.turn[t]} (message ${r.messageIndex[t]! + 1})`,
    `original: ${shortUsd(o.costUsd[t]!)} · ${formatInt(o.inputTokens[t]!)} in (${formatInt(o.cacheReadTokens[t]!)} cache reads)`,
    `policy: ${shortUsd(p.costUsd[t]!)} · ${formatInt(p.inputTokens[t]!)} in (${formatInt(p.cacheReadTokens[t]!)} cache reads)`,
  ];
  if (calls > 0)
    lines.push(
      `summariser: ${p.summariserCalls[t]} call(s)${p.summariserCached[t] ? `, ${p.summariserCached[t]} cached` : ''}, ${shortUsd(p.summariserUsd[t]!)}`,
    );
  if (p.overBudget[t]) lines.push('over budget: the policy could not meet its budget');
  lines.push(
    `cumulative: original ${shortUsd(o.cumulativeUsd[t]!)}, policy ${shortUsd(p.cumulativeUsd[t]!)}`,
  );
  return lines.join('\n');
}

/**
 * Per-turn cost of the original and of the policy (its summariser's share stacked on top), and below the
 * cumulative cost of both, the break-even turn marked across the two. Click a turn to find it in the timeline.
 */
export function SimulationChart({
  result,
  onPickTurn,
}: {
  result: SimulationResult;
  onPickTurn?(turnIndex: number): void;
}) {
  const r = result;
  const n = r.turn.length;
  if (n === 0) return <p className="history-note">This conversation has no model turn to simulate.</p>;
  const plotW = W - M.left - M.right;
  const slot = plotW / n;
  const x = (t: number) => M.left + slot * (t + 0.5);
  const bar = Math.max(1.5, Math.min(11, slot * 0.36));
  const perTurnTicks = niceTicks(Math.max(...r.original.costUsd, ...r.policy.costUsd) * 1.05, 3);
  const perTurnMax = perTurnTicks[perTurnTicks.length - 1]!;
  const yTop = yScale(TOP.y, TOP.h, perTurnMax);
  const cumTicks = niceTicks(
    Math.max(r.original.cumulativeUsd[n - 1]!, r.policy.cumulativeUsd[n - 1]!, ...r.policy.cumulativeUsd) *
      1.05,
    3,
  );
  const cumMax = cumTicks[cumTicks.length - 1]!;
  const yBottom = yScale(BOTTOM.y, BOTTOM.h, cumMax);
  const line = (values: number[]) =>
    values.map((v, t) => `${t === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${yBottom(v).toFixed(1)}`).join(' ');
  const step = turnStep(n);
  const be = r.breakEvenTurn;
  const beIndex = be === null ? -1 : r.turn.indexOf(be);
  const beX = beIndex >= 0 ? M.left + slot * beIndex : null;
  const lastO = r.original.cumulativeUsd[n - 1]!;
  const lastP = r.policy.cumulativeUsd[n - 1]!;
  // end labels of the two lines, kept apart when the lines end close together
  const gap = 11;
  let labelO = yBottom(lastO);
  let labelP = yBottom(lastP);
  if (Math.abs(labelO - labelP) < gap) {
    const mid = (labelO + labelP) / 2;
    const up = lastO >= lastP;
    labelO = mid + (up ? -gap / 2 : gap / 2);
    labelP = mid + (up ? gap / 2 : -gap / 2);
  }

  return (
    <figure className="sim-chart" data-testid="simulation-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Cost per turn and cumulative cost over ${n} turns: original ${shortUsd(lastO)}, with the policy ${shortUsd(lastP)}${be === null ? '; the policy never breaks even' : `; break-even at turn ${be}`}.`}
      >
        <text className="panel-title" x={M.left} y={TOP.y - 8}>
          Cost per turn
        </text>
        {perTurnTicks.map((v) => (
          <g key={`t${v}`}>
            <line className="grid" x1={M.left} x2={W - M.right} y1={yTop(v)} y2={yTop(v)} />
            <text className="tick" x={M.left - 6} y={yTop(v) + 3.5} textAnchor="end">
              {shortUsd(v)}
            </text>
          </g>
        ))}
        <text className="panel-title" x={M.left} y={BOTTOM.y - 8}>
          Cumulative cost
        </text>
        {cumTicks.map((v) => (
          <g key={`c${v}`}>
            <line className="grid" x1={M.left} x2={W - M.right} y1={yBottom(v)} y2={yBottom(v)} />
            <text className="tick" x={M.left - 6} y={yBottom(v) + 3.5} textAnchor="end">
              {shortUsd(v)}
            </text>
          </g>
        ))}
        {r.turn.map((turn, t) =>
          turn % step === 0 || t === 0 ? (
            <text key={`x${turn}`} className="tick" x={x(t)} y={AXIS_Y + 13} textAnchor="middle">
              {turn}
            </text>
          ) : null,
        )}
        <text className="axis-label" x={M.left + plotW / 2} y={H - 3} textAnchor="middle">
          turn (one model call each) →
        </text>
        {beX !== null && (
          <g className="break-even" data-testid="chart-break-even">
            <rect
              className="break-even-zone"
              x={beX}
              y={TOP.y}
              width={W - M.right - beX}
              height={AXIS_Y - TOP.y}
            />
            <line x1={beX} x2={beX} y1={TOP.y - 2} y2={AXIS_Y} />
            <text x={beX + 4} y={BOTTOM.y - 8} className="break-even-label">
              break-even: turn {be}
            </text>
          </g>
        )}
        {r.turn.map((turn, t) => {
          const o = r.original.costUsd[t]!;
          const req = r.policy.requestUsd[t]!;
          const sum = r.policy.summariserUsd[t]!;
          const calls = r.policy.summariserCalls[t]! + r.policy.summariserCached[t]!;
          return (
            <g key={turn}>
              <rect
                className="bar original"
                x={x(t) - bar - 0.5}
                y={yTop(o)}
                width={bar}
                height={TOP.y + TOP.h - yTop(o)}
              />
              <rect
                className="bar policy"
                x={x(t) + 0.5}
                y={yTop(req)}
                width={bar}
                height={TOP.y + TOP.h - yTop(req)}
              />
              {sum > 0 && (
                <rect
                  className="bar summariser"
                  x={x(t) + 0.5}
                  y={yTop(req + sum)}
                  width={bar}
                  height={Math.max(1, yTop(req) - yTop(req + sum))}
                />
              )}
              {calls > 0 && (
                <path
                  className="summary-mark"
                  data-testid="chart-summary-mark"
                  d={`M${x(t) + 0.5 + bar / 2},${TOP.y + TOP.h + 3} l4,5 l-4,5 l-4,-5z`}
                />
              )}
              {r.policy.overBudget[t] && (
                <circle className="over-budget-mark" cx={x(t)} cy={TOP.y - 2} r={2.5} />
              )}
            </g>
          );
        })}
        <path className="cum original" d={line(r.original.cumulativeUsd)} />
        <path className="cum policy" d={line(r.policy.cumulativeUsd)} />
        <text className="end-label original" x={W - M.right + 5} y={labelO + 3.5}>
          {shortUsd(lastO)}
        </text>
        <text className="end-label policy" x={W - M.right + 5} y={labelP + 3.5}>
          {shortUsd(lastP)}
        </text>
        <line className="axis" x1={M.left} x2={W - M.right} y1={AXIS_Y} y2={AXIS_Y} />
        <line className="axis" x1={M.left} x2={W - M.right} y1={TOP.y + TOP.h} y2={TOP.y + TOP.h} />
        {r.turn.map((turn, t) => (
          <rect
            key={`hit${turn}`}
            className="turn-hit"
            x={M.left + slot * t}
            y={TOP.y}
            width={slot}
            height={AXIS_Y - TOP.y}
            onClick={onPickTurn ? () => onPickTurn(t) : undefined}
          >
            <title>{turnTitle(r, t)}</title>
          </rect>
        ))}
      </svg>
      <figcaption className="sim-legend">
        <span className="sim-legend-item">
          <span className="sim-swatch original" />
          original
        </span>
        <span className="sim-legend-item">
          <span className="sim-swatch policy" />
          with the policy
        </span>
        <span className="sim-legend-item">
          <span className="sim-swatch summariser" />
          summariser
        </span>
        <span className="sim-legend-item">
          <span className="sim-swatch summary-mark" />
          summary written
        </span>
        {beX !== null && (
          <span className="sim-legend-item">
            <span className="sim-swatch break-even" />
            cheaper from here on
          </span>
        )}
        {onPickTurn && <span className="sim-legend-hint">Click a turn to find it in the timeline.</span>}
      </figcaption>
    </figure>
  );
}
