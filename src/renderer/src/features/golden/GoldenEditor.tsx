import { useEffect, useId, useMemo, useState } from 'react';
import { importGolden, saveGolden } from '../../app/benchActions';
import { Icon } from '../../components/Icon';
import { formatInt } from '../../lib/format';
import { useBenchStore } from '../../stores/bench';
import { useDialogStore } from '../../stores/dialog';
import { useGoldenStore } from '../../stores/golden';
import { ScreenTab } from '../bench/BenchView';
import { CaseForm } from './CaseForm';
import { assertionSummary, valueText, varColumns } from './goldenModel';

/** Cases per page of the table. */
export const GOLDEN_PAGE = 100;

/** Bring in the cases of another file: a workspace path (any golden-set format), appended or instead. */
function ImportBar({ onDone }: { onDone(): void }) {
  const sets = useBenchStore((s) => s.files?.goldenSets ?? []);
  const current = useGoldenStore((s) => s.path);
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async () => {
    setBusy(true);
    const ok = await importGolden(path.trim(), mode);
    setBusy(false);
    if (ok) onDone();
  };
  return (
    <form
      className="golden-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim() && !busy) void submit();
      }}
      data-testid="golden-import"
    >
      <label htmlFor={`${id}-path`} className="field-label">
        Import cases from
      </label>
      <input
        id={`${id}-path`}
        className="input"
        list={`${id}-sets`}
        placeholder="golden/other.csv (workspace path; YAML, JSON, JSONL, CSV, promptfoo, OpenAI Evals)"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        data-testid="golden-import-path"
      />
      <datalist id={`${id}-sets`}>
        {sets
          .filter((p) => p !== current)
          .map((p) => (
            <option key={p} value={p} />
          ))}
      </datalist>
      <select
        className="input narrow"
        aria-label="How to import"
        value={mode}
        onChange={(e) => setMode(e.target.value as 'append' | 'replace')}
      >
        <option value="append">after the current cases</option>
        <option value="replace">instead of the current cases</option>
      </select>
      <button type="submit" className="button button-primary" disabled={!path.trim() || busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      <button type="button" className="button button-ghost" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

function SaveAsBar({ onDone }: { onDone(): void }) {
  const current = useGoldenStore((s) => s.path) ?? '';
  const [path, setPath] = useState(current);
  const id = useId();
  return (
    <form
      className="golden-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void saveGolden(path.trim()).then((ok) => ok && onDone());
      }}
    >
      <label htmlFor={id} className="field-label">
        Save as
      </label>
      <input
        id={id}
        className="input"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        placeholder="golden/name.yaml"
        data-testid="golden-save-as-path"
      />
      <span className="bench-note inline">The extension picks the format: .yaml, .json, .jsonl or .csv.</span>
      <button type="submit" className="button button-primary" disabled={!path.trim()}>
        Save
      </button>
      <button type="button" className="button button-ghost" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** Saves with Ctrl/⌘+S while the editor is open (the app's own shortcut saves prompts). */
function useSaveShortcut() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (
        (event.ctrlKey || event.metaKey) &&
        !event.altKey &&
        !event.shiftKey &&
        event.key.toLowerCase() === 's'
      ) {
        event.preventDefault();
        if (useGoldenStore.getState().dirty) void saveGolden();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * The golden-set editor: every case with its variables as columns, the expected answer and its assertions;
 * add, edit and delete cases, import another file's cases, and save (in the format of the file's extension).
 */
export function GoldenEditor({ path }: { path: string }) {
  const set = useGoldenStore((s) => (s.path === path ? s.set : null));
  const loading = useGoldenStore((s) => s.loading);
  const error = useGoldenStore((s) => (s.path === path ? s.error : null));
  const dirty = useGoldenStore((s) => s.dirty);
  const saving = useGoldenStore((s) => s.saving);
  const editing = useGoldenStore((s) => s.editing);
  const startEdit = useGoldenStore((s) => s.startEdit);
  const deleteCase = useGoldenStore((s) => s.deleteCase);
  const [bar, setBar] = useState<'import' | 'saveAs' | null>(null);
  const [page, setPage] = useState(0);
  useSaveShortcut();
  const columns = useMemo(() => (set ? varColumns(set) : []), [set]);

  const remove = async (index: number) => {
    const c = set?.cases[index];
    if (!c) return;
    const choice = await useDialogStore.getState().ask({
      title: 'Delete case?',
      message: `Delete case "${c.id}"? The file changes when you save.`,
      choices: [
        { id: 'delete', label: 'Delete', danger: true },
        { id: 'cancel', label: 'Cancel', primary: true },
      ],
      cancelId: 'cancel',
    });
    if (choice === 'delete') deleteCase(index);
  };

  const pages = set ? Math.max(1, Math.ceil(set.cases.length / GOLDEN_PAGE)) : 1;
  const current = Math.min(page, pages - 1);
  const shown = set ? set.cases.slice(current * GOLDEN_PAGE, (current + 1) * GOLDEN_PAGE) : [];

  return (
    <section
      className="bench-view golden-editor"
      aria-label={`Golden set: ${path}`}
      data-testid="golden-editor"
    >
      <ScreenTab path={path} icon="table" dirty={dirty}>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => setBar(bar === 'import' ? null : 'import')}
          disabled={!set}
          aria-pressed={bar === 'import'}
          data-testid="golden-import-toggle"
        >
          <Icon name="import" />
          Import…
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => setBar(bar === 'saveAs' ? null : 'saveAs')}
          disabled={!set}
          aria-pressed={bar === 'saveAs'}
        >
          Save as…
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void saveGolden()}
          disabled={!dirty || saving}
          data-testid="golden-save"
        >
          <Icon name="save" />
          {saving ? 'Saving…' : 'Save'}
        </button>
      </ScreenTab>
      {bar === 'import' && <ImportBar onDone={() => setBar(null)} />}
      {bar === 'saveAs' && <SaveAsBar onDone={() => setBar(null)} />}
      <div className="golden-body">
        {error && (
          <p className="bench-error" role="alert">
            <Icon name="warning" /> {error.message} <code>{error.code}</code>
          </p>
        )}
        {loading && !set && <p className="bench-note">Reading the golden set…</p>}
        {set && (
          <>
            <div className="golden-info" data-testid="golden-info">
              <strong>{set.name ?? path.slice(path.lastIndexOf('/') + 1)}</strong>
              {set.description && <span className="muted">{set.description}</span>}
              <span className="bench-chip">{set.source.format}</span>
              <span data-testid="golden-count">
                {formatInt(set.cases.length)} case{set.cases.length === 1 ? '' : 's'}
              </span>
              <span className="muted">
                default assertions:{' '}
                {set.defaultTest.assert.length
                  ? set.defaultTest.assert.map((a) => a.name ?? a.type).join(', ')
                  : 'none'}
                {Object.keys(set.defaultTest.vars).length > 0 &&
                  ` · default vars: ${Object.keys(set.defaultTest.vars).join(', ')}`}
              </span>
              <button
                type="button"
                className="button button-secondary small golden-add"
                onClick={() => startEdit('new')}
                data-testid="golden-add"
              >
                <Icon name="plus" />
                Add case
              </button>
            </div>
            {set.warnings.length > 0 && (
              <ul className="golden-warnings">
                {set.warnings.map((w, i) => (
                  <li key={i}>
                    <Icon name="warning" /> {w.line ? `line ${w.line}: ` : ''}
                    {w.field ? `${w.field}: ` : ''}
                    {w.message}
                  </li>
                ))}
              </ul>
            )}
            <div className="bench-table-wrap golden-table-wrap">
              <table className="bench-table golden-table" data-testid="golden-table">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      #
                    </th>
                    <th scope="col">ID</th>
                    {columns.map((c) => (
                      <th scope="col" key={c}>
                        {c}
                      </th>
                    ))}
                    <th scope="col">Expected</th>
                    <th scope="col">Assertions</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c, k) => {
                    const i = current * GOLDEN_PAGE + k;
                    return (
                      <tr key={`${i}:${c.id}`} data-testid="golden-row" data-case={c.id}>
                        <td className="num muted">{i + 1}</td>
                        <th scope="row">
                          {c.id}
                          {c.description && <span className="cell-sub">{c.description}</span>}
                        </th>
                        {columns.map((col) => (
                          <td key={col} className="golden-value" title={valueText(c.vars[col])}>
                            {valueText(c.vars[col])}
                          </td>
                        ))}
                        <td className="golden-value" title={c.expected}>
                          {c.expected ?? <span className="muted">—</span>}
                        </td>
                        <td className="muted">
                          {assertionSummary(c, set.defaultTest.assert)}
                          {c.messages?.length ? (
                            <span className="cell-sub">{c.messages.length} input message(s)</span>
                          ) : null}
                        </td>
                        <td className="golden-actions">
                          <button
                            type="button"
                            className="button button-ghost small"
                            onClick={() => startEdit(i)}
                            aria-label={`Edit ${c.id}`}
                            data-testid="golden-edit"
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button button-ghost small danger"
                            onClick={() => void remove(i)}
                            aria-label={`Delete ${c.id}`}
                            data-testid="golden-delete"
                          >
                            Delete
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {pages > 1 && (
              <div className="bench-pager" role="group" aria-label="Pages">
                <button
                  type="button"
                  className="button button-secondary small"
                  disabled={current === 0}
                  onClick={() => setPage(current - 1)}
                >
                  Previous
                </button>
                <span>
                  Page {current + 1} of {pages}
                </span>
                <button
                  type="button"
                  className="button button-secondary small"
                  disabled={current >= pages - 1}
                  onClick={() => setPage(current + 1)}
                >
                  Next
                </button>
              </div>
            )}
          </>
        )}
      </div>
      {editing !== null && <CaseForm key={String(editing)} />}
    </section>
  );
}
