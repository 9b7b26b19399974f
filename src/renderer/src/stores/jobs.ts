import { create } from 'zustand';
import type { ErrorPayload } from '../../../shared/errors';

/** The long operations the jobs panel follows. */
export type JobKind = 'benchmark' | 'batch' | 'rewrite' | 'summarise' | 'recall';
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export const JOB_KIND_LABEL: Record<JobKind, string> = {
  benchmark: 'Benchmark',
  batch: 'Batch benchmark',
  rewrite: 'LLM rewrite',
  summarise: 'Summarisation',
  recall: 'Recall check',
};

export interface Job {
  id: string;
  kind: JobKind;
  /** What it works on ("banking77-intent.bench.yaml"). */
  title: string;
  status: JobStatus;
  startedAt: number;
  endedAt: number | null;
  /** Units done and to do, when the operation knows them (cells of a run); null for one-shot calls. */
  done: number | null;
  total: number | null;
  /** Model calls answered so far. */
  calls: number;
  /** Dollars spent so far; null when a call could not be priced. */
  spentUsd: number | null;
  /** Remaining time at the pace so far; null until there is a pace. */
  etaMs: number | null;
  /** What it is doing now ("2 batches in progress"). */
  phase: string | null;
  /** How it ended, in a line ("40 cells · 38 passed"). */
  summary: string | null;
  error: ErrorPayload | null;
  /** A cancel was asked for and has not taken effect yet. */
  cancelling: boolean;
}

export type JobStart = Pick<Job, 'id' | 'kind' | 'title'> & Partial<Pick<Job, 'total' | 'done'>>;
export type JobUpdate = Partial<
  Pick<Job, 'done' | 'total' | 'calls' | 'spentUsd' | 'etaMs' | 'phase' | 'cancelling'>
>;

/** Finished jobs kept in the panel; older ones drop off. */
export const MAX_FINISHED_JOBS = 30;

interface JobsState {
  /** Newest first. */
  jobs: Job[];
  panelOpen: boolean;
  start(job: JobStart, now?: number): void;
  update(id: string, patch: JobUpdate): void;
  finish(
    id: string,
    outcome: { status: Exclude<JobStatus, 'running'>; summary?: string; error?: ErrorPayload },
    now?: number,
  ): void;
  clearFinished(): void;
  setPanelOpen(open: boolean): void;
  reset(): void;
}

const trim = (jobs: Job[]): Job[] => {
  let finished = 0;
  return jobs.filter((j) => j.status === 'running' || ++finished <= MAX_FINISHED_JOBS);
};

/** Running and finished long operations (benchmarks, batch polls, rewrites, summaries, recall checks). */
export const useJobsStore = create<JobsState>()((set) => ({
  jobs: [],
  panelOpen: false,
  start(job, now = Date.now()) {
    set((s) => ({
      jobs: trim([
        {
          done: null,
          total: null,
          ...job,
          status: 'running',
          startedAt: now,
          endedAt: null,
          calls: 0,
          spentUsd: 0,
          etaMs: null,
          phase: null,
          summary: null,
          error: null,
          cancelling: false,
        },
        ...s.jobs.filter((j) => j.id !== job.id),
      ]),
    }));
  },
  update(id, patch) {
    set((s) => ({
      jobs: s.jobs.map((j) => (j.id === id && j.status === 'running' ? { ...j, ...patch } : j)),
    }));
  },
  finish(id, outcome, now = Date.now()) {
    set((s) => ({
      jobs: trim(
        s.jobs.map((j) =>
          j.id === id && j.status === 'running'
            ? {
                ...j,
                status: outcome.status,
                summary: outcome.summary ?? null,
                error: outcome.error ?? null,
                endedAt: now,
                etaMs: null,
                cancelling: false,
              }
            : j,
        ),
      ),
    }));
  },
  clearFinished: () => set((s) => ({ jobs: s.jobs.filter((j) => j.status === 'running') })),
  setPanelOpen: (panelOpen) => set({ panelOpen }),
  reset: () => set({ jobs: [], panelOpen: false }),
}));

export const runningJobs = (jobs: readonly Job[]): Job[] => jobs.filter((j) => j.status === 'running');

/** The share done, 0–1, or null when the job does not know its size. */
export function jobFraction(job: Pick<Job, 'done' | 'total'>): number | null {
  if (job.done === null || job.total === null || job.total <= 0) return null;
  return Math.min(1, job.done / job.total);
}
