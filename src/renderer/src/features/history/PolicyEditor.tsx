import { useEffect, useId, useMemo, useState } from 'react';
import type { PolicyStepType } from '../../../../core/history/policy/schema';
import { loadPolicy, confirmPolicyDiscard, newPolicy, savePolicy } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { useHistoryStore } from '../../stores/history';
import { useTokensStore } from '../../stores/tokens';
import {
  checkPolicy,
  isPolicyPath,
  newStep,
  STEP_TYPES,
  stepIssues,
  stepLabel,
  stepOfField,
  stepSummary,
  type StepDraft,
} from './policyModel';
import { StepForm } from './StepForm';

function SaveAsBar({ onDone }: { onDone(): void }) {
  const current = useHistoryStore((s) => s.policyPath);
  const name = useHistoryStore((s) => s.policy.name);
  const suggested =
    current ??
    `policies/${
      (name ?? 'policy')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'policy'
    }.policy.json`;
  const [path, setPath] = useState(suggested);
  const id = useId();
  const valid = isPolicyPath(path.trim());
  return (
    <form
      className="policy-save-as"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void savePolicy(path.trim()).then((ok) => ok && onDone());
      }}
    >
      <label htmlFor={id} className="hfield-label">
        Save as (workspace path)
      </label>
      <div className="policy-save-as-row">
        <input
          id={id}
          className="input"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          aria-invalid={!valid || undefined}
          data-testid="policy-save-as-path"
        />
        <button type="submit" className="button button-primary small" disabled={!valid}>
          Save
        </button>
        <button type="button" className="button button-ghost small" onClick={onDone}>
          Cancel
        </button>
      </div>
      <span className={valid ? 'history-note' : 'hfield-error'}>
        Ends in <code>.policy.json</code> or <code>.policy.yaml</code> (the extension picks the format).
      </span>
    </form>
  );
}

function StepCard({
  index,
  count,
  step,
  expanded,
  onToggle,
  issues,
}: {
  index: number;
  count: number;
  step: StepDraft;
  expanded: boolean;
  onToggle(): void;
  issues: Map<string, string>;
}) {
  const update = useHistoryStore((s) => s.updateStep);
  const remove = useHistoryStore((s) => s.removeStep);
  const move = useHistoryStore((s) => s.moveStep);
  const models = useTokensStore((s) => s.models);
  const enabled = step.enabled ?? true;
  const label = stepLabel(step.type);
  const formId = useId();
  return (
    <li
      className={`step-card${enabled ? '' : ' disabled'}${issues.size ? ' invalid' : ''}`}
      data-testid="policy-step"
      data-type={step.type}
    >
      <div className="step-head">
        <span className="step-index" aria-hidden="true">
          {index + 1}
        </span>
        <button
          type="button"
          className="step-toggle"
          aria-expanded={expanded}
          aria-controls={formId}
          onClick={onToggle}
          data-testid="policy-step-toggle"
        >
          <Icon name={expanded ? 'down' : 'arrowRight'} className="step-chevron" />
          <strong>{label}</strong>
          <span className="step-summary">{stepSummary(step)}</span>
        </button>
        <label className="step-enabled" title={enabled ? 'Untick to skip this step' : 'This step is skipped'}>
          <input
            type="checkbox"
            checked={enabled}
            aria-label={`Step ${index + 1} (${label}) on`}
            onChange={(e) => update(index, { ...step, enabled: e.target.checked })}
          />
          on
        </label>
        <button
          type="button"
          className="button button-ghost icon-button small"
          aria-label={`Move step ${index + 1} up`}
          title="Move up (steps run top to bottom)"
          disabled={index === 0}
          onClick={() => move(index, -1)}
        >
          <Icon name="up" />
        </button>
        <button
          type="button"
          className="button button-ghost icon-button small"
          aria-label={`Move step ${index + 1} down`}
          title="Move down"
          disabled={index === count - 1}
          onClick={() => move(index, 1)}
        >
          <Icon name="down" />
        </button>
        <button
          type="button"
          className="button button-ghost icon-button small danger"
          aria-label={`Remove step ${index + 1} (${label})`}
          title="Remove"
          onClick={() => remove(index)}
          data-testid="policy-step-remove"
        >
          <Icon name="close" />
        </button>
      </div>
      {expanded && (
        <div id={formId} className="step-body">
          <StepForm step={step} onChange={(next) => update(index, next)} issues={issues} models={models} />
        </div>
      )}
      {!expanded && issues.size > 0 && <p className="hfield-error step-issue">{[...issues.values()][0]}</p>}
    </li>
  );
}

/**
 * The policy editor: load or save a `.policy.json|yaml`, name it, and add, remove, reorder, switch off and edit
 * its steps (a form per step type with the schema's fields and defaults). Problems show in place.
 */
export function PolicyEditor() {
  const policy = useHistoryStore((s) => s.policy);
  const keys = useHistoryStore((s) => s.stepKeys);
  const policyPath = useHistoryStore((s) => s.policyPath);
  const dirty = useHistoryStore((s) => s.policyDirty);
  const saving = useHistoryStore((s) => s.savingPolicy);
  const backendError = useHistoryStore((s) => s.policyError);
  const policies = useHistoryStore((s) => s.files?.policies ?? []);
  const setMeta = useHistoryStore((s) => s.setPolicyMeta);
  const addStep = useHistoryStore((s) => s.addStep);
  const models = useTokensStore((s) => s.models);
  const [saveAs, setSaveAs] = useState(false);
  const [adding, setAdding] = useState<PolicyStepType>('summarise');
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const nameId = useId();
  const descId = useId();
  const check = useMemo(() => checkPolicy(policy, policyPath ?? 'policy'), [policy, policyPath]);
  const issues = check.ok ? [] : check.issues;
  // a coded error from the backend that names a step opens it
  const errorStep = stepOfField(backendError?.details?.field);
  useEffect(() => {
    const k = errorStep !== null ? keys[errorStep] : undefined;
    if (k !== undefined) setOpen((o) => new Set(o).add(k));
  }, [errorStep, keys]);

  const toggle = (key: number) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const shownError = !check.ok ? { code: 'INVALID_INPUT', message: check.message } : backendError;

  return (
    <section
      className="history-card policy-editor"
      aria-labelledby="policy-title"
      data-testid="policy-editor"
    >
      <header className="card-head">
        <h2 className="history-section-title" id="policy-title">
          Policy
        </h2>
        <div className="card-actions">
          <select
            className="input small"
            aria-label="Load a policy file"
            value=""
            data-testid="policy-load"
            onChange={(e) => {
              const path = e.target.value;
              if (path) void confirmPolicyDiscard().then((ok) => ok && loadPolicy(path));
            }}
          >
            <option value="">Load…</option>
            {policies.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <button type="button" className="button button-ghost small" onClick={() => void newPolicy()}>
            New
          </button>
          <button
            type="button"
            className="button button-ghost small"
            aria-pressed={saveAs}
            onClick={() => setSaveAs(!saveAs)}
          >
            Save as…
          </button>
          <button
            type="button"
            className="button button-secondary small"
            disabled={!dirty || saving || policyPath === null}
            title={policyPath === null ? 'Not saved yet: use Save as…' : `Save to ${policyPath}`}
            onClick={() => void savePolicy()}
            data-testid="policy-save"
          >
            <Icon name="save" />
            Save
          </button>
        </div>
      </header>
      <div className="policy-file-line">
        <span className="policy-file" title={policyPath ?? undefined} data-testid="policy-path">
          {policyPath ?? 'not saved yet'}
        </span>
        {dirty && (
          <span className="dirty-dot" role="img" aria-label="unsaved changes" data-testid="policy-dirty" />
        )}
      </div>
      {saveAs && <SaveAsBar onDone={() => setSaveAs(false)} />}
      <div className="policy-meta">
        <div className="hfield">
          <label className="hfield-label" htmlFor={nameId}>
            Name
          </label>
          <input
            id={nameId}
            className="input"
            value={policy.name ?? ''}
            onChange={(e) => setMeta({ name: e.target.value })}
            data-testid="policy-name"
          />
        </div>
        <div className="hfield">
          <label className="hfield-label" htmlFor={descId}>
            Description
          </label>
          <input
            id={descId}
            className="input"
            value={policy.description ?? ''}
            placeholder="What it is for (optional)"
            onChange={(e) => setMeta({ description: e.target.value })}
          />
        </div>
      </div>
      {shownError && (
        <p className="history-error" role="alert" data-testid="policy-error">
          <Icon name="warning" />
          <span>{shownError.message}</span> <code>{shownError.code}</code>
        </p>
      )}
      {policy.steps.length === 0 ? (
        <p className="history-note" data-testid="policy-empty">
          No steps: the whole conversation is sent every turn (the same as the original).
        </p>
      ) : (
        <ol className="step-list" aria-label="Steps, run top to bottom">
          {policy.steps.map((step, i) => {
            const key = keys[i] ?? i;
            return (
              <StepCard
                key={key}
                index={i}
                count={policy.steps.length}
                step={step}
                expanded={open.has(key)}
                onToggle={() => toggle(key)}
                issues={stepIssues(issues, i)}
              />
            );
          })}
        </ol>
      )}
      <div className="add-step">
        <select
          className="input small"
          aria-label="Step type to add"
          value={adding}
          onChange={(e) => setAdding(e.target.value as PolicyStepType)}
          data-testid="policy-add-type"
        >
          {STEP_TYPES.map((t) => (
            <option key={t.type} value={t.type} title={t.help}>
              {t.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-ghost small"
          onClick={() => {
            const before = useHistoryStore.getState().stepKeys;
            addStep(
              newStep(
                adding,
                models.map((m) => m.id),
              ),
            );
            const added = useHistoryStore.getState().stepKeys.find((k) => !before.includes(k));
            if (added !== undefined) setOpen((o) => new Set(o).add(added));
          }}
          data-testid="policy-add-step"
        >
          <Icon name="plus" />
          Add step
        </button>
        <span className="history-note inline">{STEP_TYPES.find((t) => t.type === adding)?.help}</span>
      </div>
    </section>
  );
}
