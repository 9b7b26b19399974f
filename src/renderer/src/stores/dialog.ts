import { create } from 'zustand';

export interface DialogChoice<T extends string> {
  id: T;
  label: string;
  primary?: boolean;
  danger?: boolean;
}

export interface DialogRequest<T extends string = string> {
  title: string;
  message: string;
  choices: DialogChoice<T>[];
  /** The choice reported when the dialog is dismissed with Escape. */
  cancelId: T;
}

interface OpenDialog extends DialogRequest {
  resolve(choice: string): void;
}

interface DialogState {
  current: OpenDialog | null;
  /** Shows an in-app modal and resolves with the id of the chosen button. */
  ask<T extends string>(request: DialogRequest<T>): Promise<T>;
  answer(choice: string): void;
  reset(): void;
}

/** One modal question at a time (unsaved changes, and later: destructive confirmations). */
export const useDialogStore = create<DialogState>()((set, get) => ({
  current: null,
  ask<T extends string>(request: DialogRequest<T>) {
    get().current?.resolve(get().current!.cancelId); // a new question cancels an unanswered one
    return new Promise<T>((resolve) => {
      set({ current: { ...request, resolve: (choice) => resolve(choice as T) } });
    });
  },
  answer(choice) {
    const open = get().current;
    if (!open) return;
    set({ current: null });
    open.resolve(choice);
  },
  reset() {
    get().current?.resolve(get().current!.cancelId);
    set({ current: null });
  },
}));
