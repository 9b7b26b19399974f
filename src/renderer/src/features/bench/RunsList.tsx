import { useId } from 'react';
import { compareRuns, resumeRun, runIsOf, selectRun } from '../../app/benchActions';
import { formatInt, formatUsd } from '../../lib/format';
import { isFinal, useBenchStore } from '../../stores/bench';
import type { BenchRunSummary } from '../../../../shared/bench';
import { Icon } from '../../components/Icon';
import { canResume, pct, STATUS_LABEL } from './viewModel';

const when = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** "Nov 5, 14:03:12" in the user's time zone; the raw text when it is not a date. */
export function runTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : when.format(d);
}

function RunItem({ run, path }: { run: BenchRunSummary; path: string }) {
  const selected = useBenchStore((s) => s.selectedRunId === run.runId);
  const ticked = useBenchStore((s) => s.compareIds.includes(run.runId));
  const toggle = useBenchStore((s) => s.toggleCompare);
  const busy = useBenchStore((s) => s.starting || (s.run !== null && !isFinal(s.run.status)));
  const tickId = useId();
  const other = !runIsOf(run, path);
  return (
    <li
      className={selected ? 'run-item selected' : 'run-item'}
      data-testid="run-item"
      data-run-id={run.runId}
      data-status={run.status}
    >
      <input
        id={tickId}
        type="checkbox"
        checked={ticked}
        onChange={() => toggle(run.runId)}
        aria-label={`Compare the run of ${runTime(run.createdAt)}`}
        data-testid="run-compare-tick"
      />
      <button
        type="button"
        className="run-main"
        aria-current={selected ? 'true' : undefined}
        onClick={() => void selectRun(run.runId)}
        title={`${run.file}\n${run.variants.join(', ')} × ${run.models.join(', ')}`}
      >
        <span className="run-line">
          <span className="run-time">{runTime(run.createdAt)}</span>
          <span className={`run-status ${run.status}`} data-testid="run-status">
            {STATUS_LABEL[run.status]}
          </span>
        </span>
        <span className="run-line muted">
          {formatInt(run.done)}/{formatInt(run.total)} · {formatUsd(run.spentUsd)}
          {run.passRate !== null ? ` · ${pct(run.passRate)} pass` : ''}
          {run.batch ? ' · batch' : ''}
        </span>
        {other && <span className="run-line muted run-file">{run.name ?? run.file}</span>}
        {run.error && (
          <span className="run-line bench-warning">
            <code>{run.error.code}</code>
          </span>
        )}
      </button>
      {canResume(run.status) && (
        <button
          type="button"
          className="button button-secondary small run-resume"
          disabled={busy}
          onClick={() => void resumeRun(run.runId)}
          title="Continue without re-sending the cells that finished"
          data-testid="run-resume"
        >
          <Icon name="resume" />
          Resume
        </button>
      )}
    </li>
  );
}

/** The stored runs (newest first) of this config, or of all: pick one to see its report, tick two to compare. */
export function RunsList({ path }: { path: string }) {
  const runs = useBenchStore((s) => s.runs);
  const all = useBenchStore((s) => s.allRuns);
  const setAll = useBenchStore((s) => s.setAllRuns);
  const ticks = useBenchStore((s) => s.compareIds.length);
  const allId = useId();
  const shown = all ? runs : runs.filter((r) => runIsOf(r, path));
  return (
    <section className="bench-runs" aria-labelledby={`${allId}-title`} data-testid="bench-runs">
      <div className="bench-side-head">
        <h2 id={`${allId}-title`}>Runs</h2>
        <label className="bench-check small" htmlFor={allId}>
          <input id={allId} type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          All configs
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="bench-note pad runs-empty">No stored runs yet. Runs are kept in the app’s database.</p>
      ) : (
        <ul className="run-list">
          {shown.map((r) => (
            <RunItem key={r.runId} run={r} path={path} />
          ))}
        </ul>
      )}
      <div className="bench-side-foot" hidden={shown.length < 2}>
        <button
          type="button"
          className="button button-secondary small"
          disabled={ticks !== 2}
          onClick={() => void compareRuns()}
          data-testid="compare-runs"
          title={ticks === 2 ? 'Show the two ticked runs side by side' : 'Tick two runs to compare them'}
        >
          <Icon name="compare" />
          Compare two runs
        </button>
        {ticks < 2 && (
          <span className="bench-note inline">
            Tick {ticks === 0 ? 'two runs' : 'one more run'} to compare.
          </span>
        )}
      </div>
    </section>
  );
}
