import { create } from 'zustand';
import type { ErrorPayload } from '../../../shared/errors';

export interface NoticeAction {
  label: string;
  run: () => void | Promise<void>;
  /** The primary action is styled as the default choice. */
  primary?: boolean;
}

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  /** The coded reason (an error code such as FILE_CHANGED_ON_DISK), shown next to the message. */
  code?: string;
  message: string;
  actions: NoticeAction[];
  /** Notices with the same key replace each other instead of piling up. */
  key?: string;
  /** Info notices go away by themselves; errors stay until dismissed or acted upon. */
  timeoutMs?: number;
}

export type NoticeInput = Omit<Notice, 'id' | 'actions'> & { actions?: NoticeAction[] };

const MAX_NOTICES = 5;

interface NoticesState {
  items: Notice[];
  push(input: NoticeInput): number;
  /** Shows a coded error as a notice. */
  pushError(error: ErrorPayload, extra?: Partial<Pick<Notice, 'actions' | 'key' | 'kind'>>): number;
  dismiss(id: number): void;
  dismissKey(key: string): void;
  reset(): void;
}

let nextId = 1;

export const useNoticesStore = create<NoticesState>()((set, get) => ({
  items: [],
  push(input) {
    const id = nextId++;
    const notice: Notice = { ...input, id, actions: input.actions ?? [] };
    set((s) => {
      const kept = s.items.filter((n) => {
        if (notice.key !== undefined) return n.key !== notice.key;
        return !(n.code === notice.code && n.message === notice.message);
      });
      return { items: [...kept, notice].slice(-MAX_NOTICES) };
    });
    if (notice.timeoutMs !== undefined) {
      setTimeout(() => get().dismiss(id), notice.timeoutMs);
    }
    return id;
  },
  pushError(error, extra = {}) {
    return get().push({
      kind: extra.kind ?? 'error',
      code: error.code,
      message: error.message,
      actions: extra.actions,
      key: extra.key,
    });
  },
  dismiss(id) {
    set((s) => ({ items: s.items.filter((n) => n.id !== id) }));
  },
  dismissKey(key) {
    set((s) => ({ items: s.items.filter((n) => n.key !== key) }));
  },
  reset() {
    set({ items: [] });
  },
}));
