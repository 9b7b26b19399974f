import { create } from 'zustand';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';

export const SIDEBAR_WIDTH = { default: 264, min: 200, max: 480 } as const;
export const COMPRESS_SIDE_WIDTH = { default: 340, min: 280, max: 640 } as const;

type Limits = { default: number; min: number; max: number };

function clamp(width: unknown, limits: Limits): number {
  if (typeof width !== 'number' || !Number.isFinite(width)) return limits.default;
  return Math.round(Math.min(limits.max, Math.max(limits.min, width)));
}

interface LayoutState {
  sidebarWidth: number;
  compressSideWidth: number;
  /** Restores the widths the user left (localStorage). */
  hydrate(): void;
  setSidebarWidth(width: number): void;
  setCompressSideWidth(width: number): void;
  reset(): void;
}

const initial = { sidebarWidth: SIDEBAR_WIDTH.default, compressSideWidth: COMPRESS_SIDE_WIDTH.default };

const persist = (s: Pick<LayoutState, 'sidebarWidth' | 'compressSideWidth'>) =>
  writeStored(STORAGE_KEYS.layout, { sidebarWidth: s.sidebarWidth, compressSideWidth: s.compressSideWidth });

/** The widths of the resizable panes (the cost panel keeps its own, in stores/costPanel.ts). */
export const useLayoutStore = create<LayoutState>()((set, get) => ({
  ...initial,
  hydrate() {
    const stored = readStored(STORAGE_KEYS.layout) as Partial<Record<string, unknown>> | undefined;
    if (!stored || typeof stored !== 'object') return;
    set({
      sidebarWidth: clamp(stored.sidebarWidth, SIDEBAR_WIDTH),
      compressSideWidth: clamp(stored.compressSideWidth, COMPRESS_SIDE_WIDTH),
    });
  },
  setSidebarWidth(width) {
    set({ sidebarWidth: clamp(width, SIDEBAR_WIDTH) });
    persist(get());
  },
  setCompressSideWidth(width) {
    set({ compressSideWidth: clamp(width, COMPRESS_SIDE_WIDTH) });
    persist(get());
  },
  reset: () => set(initial),
}));
