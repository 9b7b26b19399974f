import { useEffect, useId, useRef, useState } from 'react';
import { canOpenJob, cancelJob, openJob } from '../../app/jobs';
import { Icon } from '../../components/Icon';
import { formatInt, formatUsd } from '../../lib/format';
import { JOB_KIND_LABEL, jobFraction, runningJobs, useJobsStore, type Job } from '../../stores/jobs';
import '../../styles/jobs.css';

/** 61_000 → "1 min 1 s", 4_200 → "4 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** Re-renders every second while something runs (elapsed time, ETA). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

const STATUS_LABEL: Record<Job['status'], string> = {
  running: 'Running',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** One line of facts about a job: progress, spend, ETA or how long it took. */
export function jobFacts(job: Job, now: number): string[] {
  const facts: string[] = [];
  if (job.total !== null) facts.push(`${formatInt(job.done ?? 0)} / ${formatInt(job.total)}`);
  if (job.calls > 0) facts.push(`${formatInt(job.calls)} model ${job.calls === 1 ? 'call' : 'calls'}`);
  facts.push(job.spentUsd === null ? 'spend unknown (unpriced model)' : `${formatUsd(job.spentUsd)} spent`);
  if (job.status === 'running') {
    facts.push(`${formatDuration(now - job.startedAt)} elapsed`);
    if (job.etaMs !== null) facts.push(`about ${formatDuration(job.etaMs)} left`);
  } else if (job.endedAt !== null) {
    facts.push(`took ${formatDuration(job.endedAt - job.startedAt)}`);
  }
  return facts;
}

function JobRow({ job, now }: { job: Job; now: number }) {
  const fraction = jobFraction(job);
  const running = job.status === 'running';
  return (
    <li className={`job job-${job.status}`} data-testid="job" data-kind={job.kind} data-status={job.status}>
      <div className="job-head">
        <span className="job-kind">{JOB_KIND_LABEL[job.kind]}</span>
        <span className="job-title" title={job.title}>
          {job.title}
        </span>
        <span className={`job-status job-status-${job.status}`}>
          {job.cancelling ? 'Cancelling…' : STATUS_LABEL[job.status]}
        </span>
      </div>
      {running && (
        <div
          className={fraction === null ? 'job-progress indeterminate' : 'job-progress'}
          role="progressbar"
          aria-label={`${JOB_KIND_LABEL[job.kind]} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          {...(fraction !== null ? { 'aria-valuenow': Math.round(fraction * 100) } : {})}
        >
          <span style={fraction !== null ? { width: `${fraction * 100}%` } : undefined} />
        </div>
      )}
      <p className="job-facts" data-testid="job-facts">
        {jobFacts(job, now).join(' · ')}
      </p>
      {job.phase && running && <p className="job-phase">{job.phase}</p>}
      {job.summary && !running && <p className="job-summary">{job.summary}</p>}
      {job.error && (
        <p className="job-error">
          {job.error.message} <code>{job.error.code}</code>
        </p>
      )}
      <div className="job-actions">
        {canOpenJob(job.id) && (
          <button type="button" className="button button-ghost small" onClick={() => openJob(job.id)}>
            Show
          </button>
        )}
        {running && (
          <button
            type="button"
            className="button button-secondary small"
            disabled={job.cancelling}
            onClick={() => void cancelJob(job.id)}
            data-testid="job-cancel"
          >
            <Icon name="stop" />
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}

/** The jobs popover above the status bar: running jobs first, then the finished ones. */
function JobsPopover({ id, onClose }: { id: string; onClose: () => void }) {
  const jobs = useJobsStore((s) => s.jobs);
  const clearFinished = useJobsStore((s) => s.clearFinished);
  const running = runningJobs(jobs);
  const finished = jobs.filter((j) => j.status !== 'running');
  const now = useNow(running.length > 0);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  return (
    <div
      id={id}
      ref={ref}
      className="jobs-popover"
      role="dialog"
      aria-label="Jobs"
      tabIndex={-1}
      data-testid="jobs-panel"
    >
      <header className="jobs-header">
        <h2>Jobs</h2>
        <button
          type="button"
          className="button button-ghost small"
          onClick={clearFinished}
          disabled={finished.length === 0}
        >
          Clear finished
        </button>
        <button type="button" className="icon-button" aria-label="Close jobs" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {jobs.length === 0 ? (
        <p className="jobs-empty">
          No jobs yet. Benchmarks, batch runs, LLM rewrites, summarising policies and recall checks show here
          while they run, with their progress, spend and a Cancel button.
        </p>
      ) : (
        <ul className="jobs-list" aria-label="Running and finished jobs">
          {[...running, ...finished].map((job) => (
            <JobRow key={job.id} job={job} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** The status bar's jobs button: what runs now (with overall progress), and the panel it opens. */
export function JobsStatus() {
  const jobs = useJobsStore((s) => s.jobs);
  const open = useJobsStore((s) => s.panelOpen);
  const setOpen = useJobsStore((s) => s.setPanelOpen);
  const panelId = useId();
  const running = runningJobs(jobs);
  const sized = running.filter((j) => jobFraction(j) !== null);
  const overall =
    sized.length > 0 ? sized.reduce((n, j) => n + (jobFraction(j) ?? 0), 0) / sized.length : null;

  const label =
    running.length === 0
      ? 'Jobs'
      : `${running.length} ${running.length === 1 ? 'job' : 'jobs'} running${
          overall !== null ? ` · ${Math.floor(overall * 100)}%` : ''
        }`;
  return (
    <>
      <button
        type="button"
        className={running.length > 0 ? 'status-item status-jobs busy' : 'status-item status-jobs'}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen(!open)}
        title="Running and finished jobs"
        data-testid="jobs-button"
        data-running={running.length}
      >
        {running.length > 0 ? <span className="spinner" aria-hidden="true" /> : <Icon name="history" />}
        {label}
      </button>
      {open && <JobsPopover id={panelId} onClose={() => setOpen(false)} />}
    </>
  );
}
