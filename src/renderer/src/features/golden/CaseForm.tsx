import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { SCORER_LIST } from '../../../../core/scorers/registry';
import type { GoldenMessage } from '../../../../core/golden/types';
import { Icon } from '../../components/Icon';
import { trapTab } from '../../components/focusTrap';
import { useGoldenStore } from '../../stores/golden';
import { fromDraft, nextCaseId, sharedMessages, toDraft, varColumns, type CaseDraft } from './goldenModel';

const SCORER_IDS = SCORER_LIST.map((s) => s.id);

/** Add or edit one case: id, variables, input messages, expected answer, assertions, threshold. */
export function CaseForm() {
  const editing = useGoldenStore((s) => s.editing);
  const set = useGoldenStore((s) => s.set);
  const putCase = useGoldenStore((s) => s.putCase);
  const stopEdit = useGoldenStore((s) => s.stopEdit);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const baseId = useId();
  const original = set && typeof editing === 'number' ? (set.cases[editing] ?? null) : null;
  const initial = useMemo(
    () => (set ? toDraft(original, varColumns(set), nextCaseId(set), sharedMessages(set.cases)) : null),
    [set, original],
  );
  const [draft, setDraft] = useState<CaseDraft | null>(initial);
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input')?.focus();
    return () => before?.focus?.();
  }, []);

  if (editing === null || !set || !draft) return null;
  const patch = (p: Partial<CaseDraft>) => setDraft({ ...draft, ...p });
  const submit = () => {
    const others = new Set(set.cases.filter((_, i) => i !== editing).map((c) => c.id));
    const r = fromDraft(draft, others, original ?? undefined);
    if (!r.ok) {
      setProblem({ field: r.field, message: r.message });
      return;
    }
    putCase(editing, r.value);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      stopEdit();
    }
    trapTab(event, ref.current);
  };
  const invalid = (field: string) => (problem?.field === field ? true : undefined);
  const defaults = set.defaultTest.assert;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && stopEdit()}>
      <div
        className="modal case-form"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={ref}
        onKeyDown={onKeyDown}
        data-testid="case-form"
      >
        <h2 id={titleId} className="modal-title">
          {editing === 'new' ? 'Add a case' : `Edit case ${original?.id ?? ''}`}
        </h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <div className="case-form-body">
            <div className="form-row two">
              <label>
                <span className="field-label">ID</span>
                <input
                  className="input"
                  value={draft.id}
                  aria-invalid={invalid('id')}
                  onChange={(e) => patch({ id: e.target.value })}
                  data-testid="case-id"
                />
              </label>
              <label>
                <span className="field-label">Description</span>
                <input
                  className="input"
                  value={draft.description}
                  onChange={(e) => patch({ description: e.target.value })}
                />
              </label>
            </div>

            <fieldset className="form-group">
              <legend>Variables</legend>
              {draft.vars.map((v, i) => (
                <div className="form-row var-row" key={i}>
                  <input
                    className="input var-key"
                    aria-label={`Variable ${i + 1} name`}
                    value={v.key}
                    aria-invalid={invalid(`vars[${i}]`)}
                    onChange={(e) =>
                      patch({ vars: draft.vars.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)) })
                    }
                    data-testid="var-key"
                  />
                  <textarea
                    className="input var-value"
                    aria-label={`Value of ${v.key || `variable ${i + 1}`}${v.json ? ' (JSON)' : ''}`}
                    rows={Math.min(6, Math.max(1, Math.ceil(v.value.length / 70)))}
                    value={v.value}
                    aria-invalid={invalid(`vars[${i}]`)}
                    onChange={(e) =>
                      patch({
                        vars: draft.vars.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                      })
                    }
                    data-testid="var-value"
                  />
                  <label
                    className="bench-check small"
                    title="Read the value as JSON (a number, list or object)"
                  >
                    <input
                      type="checkbox"
                      checked={v.json}
                      onChange={(e) =>
                        patch({
                          vars: draft.vars.map((x, j) => (j === i ? { ...x, json: e.target.checked } : x)),
                        })
                      }
                    />
                    JSON
                  </label>
                  <button
                    type="button"
                    className="button button-ghost icon-button"
                    aria-label={`Remove ${v.key || `variable ${i + 1}`}`}
                    onClick={() => patch({ vars: draft.vars.filter((_, j) => j !== i) })}
                  >
                    <Icon name="close" />
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button button-ghost small"
                onClick={() => patch({ vars: [...draft.vars, { key: '', value: '', json: false }] })}
              >
                <Icon name="plus" /> Add variable
              </button>
            </fieldset>

            {draft.messages.length > 0 && (
              <fieldset className="form-group">
                <legend>Input messages (templates)</legend>
                {draft.messages.map((m, i) => (
                  <div className="form-row var-row" key={i}>
                    <select
                      className="input var-key"
                      aria-label={`Message ${i + 1} role`}
                      value={m.role}
                      onChange={(e) =>
                        patch({
                          messages: draft.messages.map((x, j) =>
                            j === i ? { ...x, role: e.target.value as GoldenMessage['role'] } : x,
                          ),
                        })
                      }
                    >
                      <option value="system">system</option>
                      <option value="user">user</option>
                      <option value="assistant">assistant</option>
                    </select>
                    <textarea
                      className="input var-value"
                      aria-label={`Message ${i + 1} content`}
                      rows={2}
                      value={m.content}
                      onChange={(e) =>
                        patch({
                          messages: draft.messages.map((x, j) =>
                            j === i ? { ...x, content: e.target.value } : x,
                          ),
                        })
                      }
                    />
                    <button
                      type="button"
                      className="button button-ghost icon-button"
                      aria-label={`Remove message ${i + 1}`}
                      onClick={() => patch({ messages: draft.messages.filter((_, j) => j !== i) })}
                    >
                      <Icon name="close" />
                    </button>
                  </div>
                ))}
              </fieldset>
            )}

            <label className="form-stack">
              <span className="field-label">Expected answer</span>
              <textarea
                className="input"
                rows={2}
                value={draft.expected}
                onChange={(e) => patch({ expected: e.target.value })}
                data-testid="case-expected"
              />
            </label>

            <fieldset className="form-group">
              <legend>Assertions of this case</legend>
              {defaults.length > 0 && (
                <p className="bench-note">
                  Every case also runs the set’s default{defaults.length === 1 ? '' : 's'}:{' '}
                  {defaults.map((a) => a.name ?? a.type).join(', ')}.
                </p>
              )}
              <datalist id={`${baseId}-scorers`}>
                {SCORER_IDS.map((id) => (
                  <option key={id} value={id} />
                ))}
              </datalist>
              {draft.assert.map((a, i) => (
                <div className="form-row assert-row" key={i}>
                  <input
                    className="input"
                    list={`${baseId}-scorers`}
                    aria-label={`Assertion ${i + 1} type`}
                    placeholder="type"
                    value={a.type}
                    aria-invalid={invalid(`assert[${i}]`)}
                    onChange={(e) =>
                      patch({
                        assert: draft.assert.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)),
                      })
                    }
                  />
                  <input
                    className="input"
                    aria-label={`Assertion ${i + 1} options (JSON)`}
                    placeholder='{"value": "…"}'
                    value={a.options}
                    aria-invalid={invalid(`assert[${i}]`)}
                    onChange={(e) =>
                      patch({
                        assert: draft.assert.map((x, j) => (j === i ? { ...x, options: e.target.value } : x)),
                      })
                    }
                  />
                  <input
                    className="input narrow"
                    aria-label={`Assertion ${i + 1} weight`}
                    placeholder="weight"
                    value={a.weight}
                    onChange={(e) =>
                      patch({
                        assert: draft.assert.map((x, j) => (j === i ? { ...x, weight: e.target.value } : x)),
                      })
                    }
                  />
                  <button
                    type="button"
                    className="button button-ghost icon-button"
                    aria-label={`Remove assertion ${i + 1}`}
                    onClick={() => patch({ assert: draft.assert.filter((_, j) => j !== i) })}
                  >
                    <Icon name="close" />
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button button-ghost small"
                onClick={() =>
                  patch({ assert: [...draft.assert, { type: '', weight: '1', name: '', options: '' }] })
                }
                data-testid="add-assertion"
              >
                <Icon name="plus" /> Add assertion
              </button>
            </fieldset>

            <label className="form-stack narrow">
              <span className="field-label">Pass threshold (0–1, optional)</span>
              <input
                className="input"
                value={draft.threshold}
                aria-invalid={invalid('threshold')}
                onChange={(e) => patch({ threshold: e.target.value })}
              />
            </label>
          </div>
          {problem && (
            <p className="form-problem" role="alert" data-testid="case-form-problem">
              <Icon name="warning" /> {problem.message}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" className="button button-secondary" onClick={stopEdit}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" data-testid="case-save">
              {editing === 'new' ? 'Add case' : 'Apply'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
