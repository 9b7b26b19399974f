import { create } from 'zustand';

interface PaletteState {
  open: boolean;
  setOpen(open: boolean): void;
  toggle(): void;
  reset(): void;
}

/** Whether the command palette (Ctrl/Cmd+K) is shown. */
export const usePaletteStore = create<PaletteState>()((set, get) => ({
  open: false,
  setOpen: (open) => set({ open }),
  toggle: () => set({ open: !get().open }),
  reset: () => set({ open: false }),
}));
