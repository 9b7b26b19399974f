import { JOB_ID_FIELD, type JobProgressEvent } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { formatUsd } from '../lib/format';
import { JOB_KIND_LABEL, useJobsStore, type Job, type JobKind, type JobStart } from '../stores/jobs';
import { useNoticesStore } from '../stores/notices';
import { api, toErrorPayload } from '../transport';

/**
 * Long operations as jobs: the jobs panel lists them with progress, spend and ETA, each can be cancelled,
 * and its end is reported as a notification (an in-app notice; a system notification too when the window
 * is in the background and the user allowed them).
 */

/** What cancels a running job, and what "Show" opens (by job id). */
const cancellers = new Map<string, () => Promise<void>>();
const openers = new Map<string, () => void>();
/** Jobs whose cancel was asked for: they end as cancelled whatever their call returns. */
const cancelRequested = new Set<string>();

/** A job that ended sooner than this shows no notification: its result is already on screen. */
export const NOTIFY_AFTER_MS = 1500;
const NOTICE_TIMEOUT_MS = 8000;

/** A route's input with the job id added (JOB_ID_FIELD): the backend runs the call as that job. */
export function withJob<T extends object>(input: T, jobId: string): T {
  return { ...input, [JOB_ID_FIELD]: jobId };
}

let seq = 0;
/** A fresh job id (also sent to the backend as the route's jobId). */
export function newJobId(kind: JobKind): string {
  seq += 1;
  return `${kind}-${Date.now().toString(36)}-${seq}`;
}

export interface JobOptions {
  /** Stops the job; route jobs default to `jobs.cancel`. */
  cancel?: () => Promise<void>;
  /** Brings its screen back ("Show" in the notification and the panel). */
  open?: () => void;
}

/** Registers a job that something else drives (a benchmark run, through its own events). */
export function beginJob(job: JobStart, options: JobOptions = {}): void {
  if (options.cancel) cancellers.set(job.id, options.cancel);
  if (options.open) openers.set(job.id, options.open);
  cancelRequested.delete(job.id);
  useJobsStore.getState().start(job);
}

/** Ends a job begun with beginJob and reports it. */
export function endJob(
  id: string,
  outcome: { status: 'done' | 'failed' | 'cancelled'; summary?: string; error?: ErrorPayload },
  options: { notify?: boolean } = {},
): void {
  const status = cancelRequested.has(id) && outcome.status !== 'failed' ? 'cancelled' : outcome.status;
  cancelRequested.delete(id);
  cancellers.delete(id);
  useJobsStore.getState().finish(id, { ...outcome, status });
  const job = useJobsStore.getState().jobs.find((j) => j.id === id);
  if (job && options.notify !== false) notifyEnd(job);
}

/** Asks a running job to stop. */
export async function cancelJob(id: string): Promise<void> {
  const job = useJobsStore.getState().jobs.find((j) => j.id === id);
  if (!job || job.status !== 'running' || job.cancelling) return;
  cancelRequested.add(id);
  useJobsStore.getState().update(id, { cancelling: true });
  const cancel = cancellers.get(id) ?? (() => api.call('jobs.cancel', { id }).then(() => undefined));
  try {
    await cancel();
  } catch (err) {
    cancelRequested.delete(id);
    useJobsStore.getState().update(id, { cancelling: false });
    useNoticesStore.getState().pushError(toErrorPayload(err));
  }
}

/** Shows the job's screen, when it has one. */
export function openJob(id: string): void {
  openers.get(id)?.();
  useJobsStore.getState().setPanelOpen(false);
}

export const canOpenJob = (id: string): boolean => openers.has(id);

/**
 * Runs a route call (or a few) as a job: `fn` gets the job id to pass as the route's `jobId`, so its model
 * calls report their spend and stop on cancel. With `showAfterMs`, a call that ends sooner (an answer from
 * the cache) never appears in the panel.
 */
export async function runAsJob<T>(
  job: Omit<JobStart, 'id'>,
  fn: (jobId: string) => Promise<T>,
  options: JobOptions & {
    showAfterMs?: number;
    /** How it ended, in a line, from its value. */
    summarize?: (value: T) => string | undefined;
  } = {},
): Promise<T> {
  const id = newJobId(job.kind);
  let shown = false;
  const show = () => {
    if (shown) return;
    shown = true;
    beginJob({ ...job, id }, options);
  };
  const timer = options.showAfterMs ? setTimeout(show, options.showAfterMs) : (show(), null);
  pendingShow.set(id, show);
  try {
    const value = await fn(id);
    if (shown) endJob(id, { status: 'done', ...summaryOf(options.summarize, value) });
    return value;
  } catch (err) {
    // the flow that called us reports the error itself; the panel keeps the failure
    if (shown) endJob(id, { status: 'failed', error: toErrorPayload(err) }, { notify: false });
    throw err;
  } finally {
    if (timer !== null) clearTimeout(timer);
    pendingShow.delete(id);
  }
}

const summaryOf = <T>(summarize: ((value: T) => string | undefined) | undefined, value: T) => {
  const summary = summarize?.(value);
  return summary ? { summary } : {};
};

/** Jobs not shown yet (showAfterMs): a progress event (a paid call) shows them at once. */
const pendingShow = new Map<string, () => void>();

/** A `job.progress` event from the backend. */
export function handleJobProgress(e: JobProgressEvent): void {
  pendingShow.get(e.jobId)?.();
  useJobsStore.getState().update(e.jobId, { calls: e.calls, spentUsd: e.spentUsd });
}

function endMessage(job: Job): string {
  const what = `${JOB_KIND_LABEL[job.kind]} of ${job.title}`;
  const spent = job.spentUsd === null ? 'spend unknown' : `${formatUsd(job.spentUsd)} spent`;
  if (job.status === 'cancelled') return `${what} was cancelled (${spent}).`;
  if (job.status === 'failed') return `${what} failed${job.error ? `: ${job.error.message}` : '.'}`;
  return `${what} finished${job.summary ? `: ${job.summary}` : ''} (${spent}).`;
}

function notifyEnd(job: Job): void {
  const took = (job.endedAt ?? Date.now()) - job.startedAt;
  if (took < NOTIFY_AFTER_MS && job.status === 'done') return;
  const message = endMessage(job);
  const open = openers.get(job.id);
  useNoticesStore.getState().push({
    kind: job.status === 'done' ? 'info' : job.status === 'cancelled' ? 'warning' : 'error',
    message,
    ...(job.error ? { code: job.error.code } : {}),
    key: `job:${job.id}`,
    ...(job.status === 'done' ? { timeoutMs: NOTICE_TIMEOUT_MS } : {}),
    actions: open ? [{ label: 'Show', run: () => openJob(job.id) }] : [],
  });
  systemNotification(message);
}

/** A desktop notification when the window is in the background (only if the user already allowed them). */
function systemNotification(body: string): void {
  if (typeof document === 'undefined' || !document.hidden) return;
  const N = (globalThis as { Notification?: typeof Notification }).Notification;
  if (!N || N.permission !== 'granted') return;
  try {
    new N('PromptPress', { body });
  } catch {
    // a host without notifications: the in-app notice is enough
  }
}
