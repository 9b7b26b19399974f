import { useEffect, useState } from 'react';
import {
  defaultExportNames,
  listPipelines,
  loadPipelineFile,
  resetPipeline,
  savePipelineFile,
} from '../../app/compressActions';
import { Icon } from '../../components/Icon';
import { useCompressStore, type PipelineStep } from '../../stores/compress';
import { useEditorStore } from '../../stores/editor';
import { OptionsForm } from './OptionsForm';

const DEFAULT_CHOICE = '';

/** Load a workspace pipeline, start over from the default one, or save the one being edited. */
function PipelineFile() {
  const path = useCompressStore((s) => s.pipelinePath);
  const dirty = useCompressStore((s) => s.pipelineDirty);
  const source = useEditorStore((s) => s.path);
  const [files, setFiles] = useState<string[]>([]);
  const [target, setTarget] = useState('');
  const refresh = () => void listPipelines().then(setFiles);
  useEffect(refresh, []);
  useEffect(() => {
    setTarget(path ?? (source ? defaultExportNames(source).pipeline : 'pipelines/my.pipeline.json'));
  }, [path, source]);

  return (
    <div className="pipeline-file">
      <div className="pipeline-file-row">
        <label className="field-label" htmlFor="pipeline-load">
          Pipeline
        </label>
        <select
          id="pipeline-load"
          className="input"
          value={path ?? DEFAULT_CHOICE}
          onFocus={refresh}
          data-testid="pipeline-load"
          onChange={(e) =>
            void (e.target.value === DEFAULT_CHOICE ? resetPipeline() : loadPipelineFile(e.target.value))
          }
        >
          <option value={DEFAULT_CHOICE}>Default (built in)</option>
          {[...new Set([...(path ? [path] : []), ...files])].map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        {dirty && (
          <span className="dirty-dot" role="img" aria-label="pipeline changed since it was loaded or saved" />
        )}
      </div>
      <form
        className="pipeline-file-row"
        onSubmit={(e) => {
          e.preventDefault();
          void savePipelineFile(target.trim()).then((ok) => ok && refresh());
        }}
      >
        <input
          className="input"
          aria-label="Save the pipeline as (workspace path)"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          data-testid="pipeline-save-path"
        />
        <button type="submit" className="button button-secondary small" data-testid="pipeline-save">
          <Icon name="save" /> Save
        </button>
      </form>
    </div>
  );
}

function StepCard({ step, index, count }: { step: PipelineStep; index: number; count: number }) {
  const info = useCompressStore((s) => s.strategies?.find((i) => i.id === step.strategy));
  const setStep = useCompressStore((s) => s.setStep);
  const moveStep = useCompressStore((s) => s.moveStep);
  const resetStep = useCompressStore((s) => s.resetStep);
  const saved = useCompressStore((s) =>
    s.result?.stages.filter((st) => st.strategy === step.strategy).reduce((a, st) => a + st.saved, 0),
  );
  const error = useCompressStore((s) => {
    const stage = s.result?.stages.find((st) => st.strategy === step.strategy) as
      { error?: { message: string } } | undefined;
    return stage?.error?.message;
  });
  const [open, setOpen] = useState(false);
  if (!info) return null;
  const proposal = (info as { kind?: string }).kind === 'suggestion';
  const checkboxId = `step-${step.strategy}`;
  return (
    <li
      className={step.enabled ? 'step-card enabled' : 'step-card'}
      data-testid="step"
      data-strategy={step.strategy}
    >
      <div className="step-head">
        <input
          id={checkboxId}
          type="checkbox"
          checked={step.enabled}
          onChange={(e) => setStep(index, { enabled: e.target.checked })}
          data-testid="step-toggle"
        />
        <label htmlFor={checkboxId} className="step-label" title={info.description}>
          {info.label}
          <span className="step-id">{info.id}</span>
        </label>
        {info.lossy && (
          <span className="pp-badge warning" title="May drop information a model uses: check its edits">
            lossy
          </span>
        )}
        {proposal && (
          <span
            className="pp-badge"
            title="Proposes a change to review; its effect is measured by a benchmark"
          >
            proposal
          </span>
        )}
        {step.enabled && saved !== undefined && (
          <span
            className="step-saved"
            data-testid="step-saved"
            title="Tokens this strategy saved in the last run"
          >
            {saved > 0
              ? `−${saved.toLocaleString('en-US')}`
              : saved === 0
                ? '0'
                : `+${(-saved).toLocaleString('en-US')}`}
          </span>
        )}
        <div className="step-tools">
          <button
            type="button"
            className="button icon-button step-tool"
            aria-label={`Move ${info.label} up`}
            disabled={index === 0}
            onClick={() => moveStep(index, -1)}
          >
            <Icon name="up" />
          </button>
          <button
            type="button"
            className="button icon-button step-tool"
            aria-label={`Move ${info.label} down`}
            disabled={index === count - 1}
            onClick={() => moveStep(index, 1)}
          >
            <Icon name="down" />
          </button>
          <button
            type="button"
            className={open ? 'button icon-button step-tool open' : 'button icon-button step-tool'}
            aria-label={`Options of ${info.label}`}
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            data-testid="step-options-toggle"
          >
            <Icon name="chevron" />
          </button>
        </div>
      </div>
      {error && (
        <p className="step-error" role="alert">
          <Icon name="warning" /> {error}
        </p>
      )}
      {open && (
        <div className="step-body">
          <p className="step-description">{info.description}</p>
          <OptionsForm
            schema={info.optionsSchema}
            values={step.options}
            onChange={(patch) => setStep(index, { options: patch })}
            testPrefix={`option-${step.strategy}`}
          />
          <button type="button" className="link-button" onClick={() => resetStep(index)}>
            Reset options to defaults
          </button>
        </div>
      )}
    </li>
  );
}

/** The pipeline: its file, and its strategies in run order with toggles and option forms. */
export function PipelinePanel() {
  const steps = useCompressStore((s) => s.steps);
  const ready = useCompressStore((s) => s.strategies !== null);
  if (!ready) return <p className="muted panel-pad">Loading strategies…</p>;
  return (
    <div className="pipeline-panel">
      <PipelineFile />
      <ol className="step-list" aria-label="Strategies in run order">
        {steps.map((step, i) => (
          <StepCard key={step.strategy} step={step} index={i} count={steps.length} />
        ))}
      </ol>
    </div>
  );
}
