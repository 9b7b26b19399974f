import { create } from 'zustand';
import { WorkloadSchema, type Workload } from '../../../shared/contract';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';

/** The route's own defaults: 1,000 requests a day for 30 days, 500 output tokens, no cache, no batch. */
export const DEFAULT_WORKLOAD: Workload = WorkloadSchema.parse({});

interface WorkloadState {
  workload: Workload;
  /** Restores the workload the user last entered (localStorage). */
  hydrate(): void;
  update(patch: Partial<Workload>): void;
  reset(): void;
}

/**
 * The traffic a prompt is priced for: the cost table's per-month figures and the projection use the same
 * numbers, so the two tabs never disagree about the assumptions.
 */
export const useWorkloadStore = create<WorkloadState>()((set, get) => ({
  workload: DEFAULT_WORKLOAD,
  hydrate() {
    const parsed = WorkloadSchema.safeParse(readStored(STORAGE_KEYS.workload));
    if (parsed.success) set({ workload: parsed.data });
  },
  update(patch) {
    const parsed = WorkloadSchema.safeParse({ ...get().workload, ...patch });
    if (!parsed.success) return;
    set({ workload: parsed.data });
    writeStored(STORAGE_KEYS.workload, parsed.data);
  },
  reset: () => set({ workload: DEFAULT_WORKLOAD }),
}));
