import { create } from 'zustand';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';

export const COST_TABS = ['cost', 'cache', 'projection'] as const;
export type CostTab = (typeof COST_TABS)[number];

export const PANEL_WIDTH = { default: 420, min: 340, max: 760 } as const;

interface CostPanelState {
  open: boolean;
  tab: CostTab;
  /** Width in CSS pixels; the editor takes the rest. */
  width: number;
  /** Restores the layout the user left (localStorage). */
  hydrate(): void;
  setOpen(open: boolean): void;
  toggle(): void;
  setTab(tab: CostTab): void;
  setWidth(width: number): void;
  reset(): void;
}

const initial = { open: true, tab: 'cost' as CostTab, width: PANEL_WIDTH.default };

function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return PANEL_WIDTH.default;
  return Math.round(Math.min(PANEL_WIDTH.max, Math.max(PANEL_WIDTH.min, width)));
}

function persist(state: Pick<CostPanelState, 'open' | 'tab' | 'width'>): void {
  writeStored(STORAGE_KEYS.costPanel, { open: state.open, tab: state.tab, width: state.width });
}

/** The cost panel next to the editor: shown or collapsed, which tab, how wide. */
export const useCostPanelStore = create<CostPanelState>()((set, get) => ({
  ...initial,
  hydrate() {
    const stored = readStored(STORAGE_KEYS.costPanel) as Partial<Record<string, unknown>> | undefined;
    if (!stored || typeof stored !== 'object') return;
    set({
      open: typeof stored.open === 'boolean' ? stored.open : initial.open,
      tab: COST_TABS.includes(stored.tab as CostTab) ? (stored.tab as CostTab) : initial.tab,
      width: typeof stored.width === 'number' ? clampWidth(stored.width) : initial.width,
    });
  },
  setOpen(open) {
    set({ open });
    persist(get());
  },
  toggle() {
    get().setOpen(!get().open);
  },
  setTab(tab) {
    set({ tab, open: true });
    persist(get());
  },
  setWidth(width) {
    set({ width: clampWidth(width) });
    persist(get());
  },
  reset: () => set(initial),
}));
