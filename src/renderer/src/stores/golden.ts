import { create } from 'zustand';
import type { GoldenCase, GoldenSet } from '../../../core/golden/types';
import type { ErrorPayload } from '../../../shared/errors';

interface GoldenState {
  /** Workspace path of the set being edited; null when none is loaded. */
  path: string | null;
  set: GoldenSet | null;
  /** The set as it was loaded or last saved (JSON), to tell whether there are unsaved edits. */
  savedJson: string | null;
  dirty: boolean;
  loading: boolean;
  saving: boolean;
  error: ErrorPayload | null;
  /** The case open in the case form: its index, or `new` for a case being added. */
  editing: number | 'new' | null;
  loadStarted(path: string): void;
  loaded(path: string, set: GoldenSet): void;
  loadFailed(path: string, error: ErrorPayload): void;
  setSaving(saving: boolean): void;
  /** The set was written to `path` (the same file, or a new one with Save as). */
  markSaved(path: string): void;
  startEdit(index: number | 'new'): void;
  stopEdit(): void;
  /** Replaces case `index`, or appends when `index` is `new`. */
  putCase(index: number | 'new', value: GoldenCase): void;
  deleteCase(index: number): void;
  /** Brings in the cases of another set: after the current ones, or instead of them. */
  importCases(cases: readonly GoldenCase[], mode: 'append' | 'replace'): { added: number; renamed: number };
  reset(): void;
}

const initial = {
  path: null,
  set: null,
  savedJson: null,
  dirty: false,
  loading: false,
  saving: false,
  error: null,
  editing: null,
};

/** The set's content as it would be saved: everything but where it was read from. */
function contentJson(set: GoldenSet): string {
  const { source: _source, warnings: _warnings, ...rest } = set;
  return JSON.stringify({ ...rest, cases: set.cases.map(({ line: _line, ...c }) => c) });
}

/** An id not in `taken`: `id`, else `id-2`, `id-3`, ... */
export function freeId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n++) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}

/** The golden-set editor: the set as edited, whether it differs from the file, and the case being edited. */
export const useGoldenStore = create<GoldenState>()((set, get) => {
  const update = (next: GoldenSet) => set({ set: next, dirty: contentJson(next) !== get().savedJson });
  return {
    ...initial,
    loadStarted: (path) => set({ ...initial, path, loading: true }),
    loaded(path, value) {
      if (get().path !== path) return;
      set({ set: value, savedJson: contentJson(value), dirty: false, loading: false, error: null });
    },
    loadFailed(path, error) {
      if (get().path !== path) return;
      set({ loading: false, error });
    },
    setSaving: (saving) => set({ saving }),
    markSaved(path) {
      const current = get().set;
      if (!current) return;
      set({ path, savedJson: contentJson(current), dirty: false });
    },
    startEdit: (editing) => set({ editing }),
    stopEdit: () => set({ editing: null }),
    putCase(index, value) {
      const current = get().set;
      if (!current) return;
      const cases =
        index === 'new' ? [...current.cases, value] : current.cases.map((c, i) => (i === index ? value : c));
      update({ ...current, cases });
      set({ editing: null });
    },
    deleteCase(index) {
      const current = get().set;
      if (!current) return;
      update({ ...current, cases: current.cases.filter((_, i) => i !== index) });
    },
    importCases(incoming, mode) {
      const current = get().set;
      if (!current) return { added: 0, renamed: 0 };
      const kept = mode === 'replace' ? [] : current.cases;
      const taken = new Set(kept.map((c) => c.id));
      let renamed = 0;
      const added = incoming.map(({ line: _line, ...c }) => {
        const id = freeId(c.id, taken);
        if (id !== c.id) renamed++;
        taken.add(id);
        return { ...c, id };
      });
      update({ ...current, cases: [...kept, ...added] });
      return { added: added.length, renamed };
    },
    reset: () => set({ ...initial }),
  };
});
