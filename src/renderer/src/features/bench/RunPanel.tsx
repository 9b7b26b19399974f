import { useId } from 'react';
import { cancelRun, startRun } from '../../app/benchActions';
import { formatInt, formatUsd } from '../../lib/format';
import { isFinal, useBenchStore, type ActiveRun } from '../../stores/bench';
import { Icon } from '../../components/Icon';
import { formatEta, runBlockedReason, STATUS_LABEL } from './viewModel';

/** The running benchmark: a progress bar with cells, spend, ETA and cached count, and Cancel. */
export function RunProgress({ run }: { run: ActiveRun }) {
  const running = !isFinal(run.status);
  const share = run.total === 0 ? 1 : run.done / run.total;
  const summary = `${formatInt(run.done)} of ${formatInt(run.total)} cells`;
  return (
    <div className="bench-progress" data-testid="bench-progress" data-status={run.status}>
      <div className="bench-progress-head">
        <strong>{running ? 'Running' : `Run ${STATUS_LABEL[run.status]}`}</strong>
        <span className="bench-progress-figures">
          <span data-testid="progress-cells">
            {formatInt(run.done)} / {formatInt(run.total)} cells
          </span>
          <span title="What this run has paid so far: provider-reported usage at catalog prices">
            {formatUsd(run.spentUsd)} spent
          </span>
          {running && <span data-testid="progress-eta">ETA {formatEta(run.etaMs)}</span>}
          <span title="Answered from the response cache: no provider call, no cost">
            {formatInt(run.cached)} cached
          </span>
          {run.errors > 0 && <span className="bench-warning">{formatInt(run.errors)} errors</span>}
        </span>
        {running && (
          <button
            type="button"
            className="button button-danger small"
            onClick={() => void cancelRun()}
            data-testid="bench-cancel"
          >
            <Icon name="stop" />
            Cancel
          </button>
        )}
      </div>
      <div
        className="bench-progress-track"
        role="progressbar"
        aria-label="Benchmark progress"
        aria-valuemin={0}
        aria-valuemax={run.total}
        aria-valuenow={run.done}
        aria-valuetext={summary}
        data-testid="bench-progressbar"
      >
        <div
          className={`bench-progress-fill ${run.status}`}
          style={{ width: `${Math.min(100, share * 100).toFixed(2)}%` }}
        />
      </div>
      {run.phase && <p className="bench-note">{run.phase}</p>}
      {run.error && (
        <p className="bench-error" role="alert">
          {run.error.message} <code>{run.error.code}</code>
        </p>
      )}
    </div>
  );
}

/** Run (with the batch option), disabled with its reason when the worst case is above the budget. */
export function RunPanel({ path }: { path: string }) {
  const estimate = useBenchStore((s) => s.estimate);
  const estimating = useBenchStore((s) => s.estimating);
  const batch = useBenchStore((s) => s.batch);
  const setBatch = useBenchStore((s) => s.setBatch);
  const starting = useBenchStore((s) => s.starting);
  const run = useBenchStore((s) => (s.run?.configPath === path ? s.run : null));
  const otherRunning = useBenchStore(
    (s) => s.run !== null && s.run.configPath !== path && !isFinal(s.run.status),
  );
  const batchId = useId();
  const reasonId = useId();
  const running = run !== null && !isFinal(run.status);
  const blocked = estimating ? 'Estimating…' : runBlockedReason(estimate);
  const reason = otherRunning ? 'Another benchmark is running; wait for it or cancel it first.' : blocked;
  const disabled = reason !== null || starting || running;

  return (
    <div className="bench-run" data-testid="bench-run">
      {!running && (
        <div className="bench-run-row">
          <button
            type="button"
            className="button button-primary"
            disabled={disabled}
            aria-describedby={reason ? reasonId : undefined}
            onClick={() => void startRun()}
            data-testid="bench-run-button"
          >
            <Icon name="play" />
            {starting ? 'Starting…' : run ? 'Run again' : 'Run'}
            {estimate && !starting && (
              <span className="bench-run-count">{formatInt(estimate.estimate.cells)} requests</span>
            )}
          </button>
          <label className="bench-check" htmlFor={batchId}>
            <input
              id={batchId}
              type="checkbox"
              checked={batch}
              onChange={(e) => setBatch(e.target.checked)}
              data-testid="bench-batch"
            />
            Run as batch (half price)
          </label>
          <span className="bench-note inline">
            {batch
              ? 'Sent through the providers’ batch APIs: answers within hours, polled in the background.'
              : 'Answers come in as they finish; cached answers cost nothing.'}
          </span>
        </div>
      )}
      {reason && !running && (
        <p className="bench-blocked" id={reasonId} data-testid="bench-run-blocked">
          {reason}
        </p>
      )}
      {run && <RunProgress run={run} />}
    </div>
  );
}
