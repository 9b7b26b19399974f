import { useId, type ReactNode } from 'react';
import type { ModelEntry } from '../../../../core/pricing/catalog';
import { Field, ModelSelect, NumberInput } from './fields';
import {
  DEFAULT_SUMMARY_PROMPT,
  defaultClear,
  defaultTruncate,
  type StepDraft,
  type StepOf,
} from './policyModel';

interface FormProps<T extends StepDraft['type']> {
  step: StepOf<T>;
  onChange(step: StepOf<T>): void;
  /** Problems by field inside the step (`maxTokens`, `trigger.tokens`, `` for the step itself). */
  issues: Map<string, string>;
  models: ModelEntry[];
}

function Check({
  label,
  checked,
  onChange,
  hint,
  testId,
}: {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  hint?: string;
  testId?: string;
}) {
  return (
    <label className="hcheck" title={hint}>
      <input
        type="checkbox"
        checked={checked}
        data-testid={testId}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
    </label>
  );
}

function TextInput({
  label,
  value,
  onChange,
  error,
  hint,
  className,
  testId,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  hint?: string;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint} className={className}>
      <input
        id={id}
        className="input"
        value={value}
        aria-invalid={error ? true : undefined}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

function Group({ legend, children, error }: { legend: ReactNode; children?: ReactNode; error?: string }) {
  return (
    <fieldset className="step-group">
      <legend>{legend}</legend>
      {children}
      {error && <span className="hfield-error">{error}</span>}
    </fieldset>
  );
}

function DropRepeatsForm({ step, onChange, issues }: FormProps<'dropRepeats'>) {
  return (
    <div className="step-form">
      <NumberInput
        label="Min tokens"
        hint="Messages (or a tool call with its results) shorter than this are never dropped"
        value={step.minTokens}
        min={0}
        onChange={(v) => onChange({ ...step, minTokens: v })}
        error={issues.get('minTokens')}
      />
      <Check
        label="Replace repeated tool results"
        checked={step.results ?? true}
        onChange={(results) => onChange({ ...step, results })}
      />
      <TextInput
        className="span-all"
        label="Placeholder for a repeated result ({tool} is the tool's name)"
        value={step.resultPlaceholder ?? ''}
        onChange={(resultPlaceholder) => onChange({ ...step, resultPlaceholder })}
        error={issues.get('resultPlaceholder')}
      />
    </div>
  );
}

function ToolResultsForm({ step, onChange, issues }: FormProps<'toolResults'>) {
  const t = step.truncate;
  const c = step.clear;
  return (
    <div className="step-form">
      <Group
        legend={
          <Check
            label="Truncate long results"
            checked={t !== undefined}
            testId="step-truncate"
            onChange={(on) => {
              const { truncate: _t, ...rest } = step;
              onChange(on ? { ...rest, truncate: defaultTruncate() } : rest);
            }}
          />
        }
      >
        {t && (
          <div className="step-form inner">
            <NumberInput
              label="Max tokens per result"
              hint="Longer results keep their head and tail around a marker"
              value={t.maxTokens}
              min={1}
              onChange={(maxTokens) => onChange({ ...step, truncate: { ...t, maxTokens: maxTokens! } })}
              error={issues.get('truncate.maxTokens')}
            />
            <TextInput
              label="Marker ({tokens} is the number left out)"
              value={t.marker ?? ''}
              onChange={(marker) => onChange({ ...step, truncate: { ...t, marker } })}
              error={issues.get('truncate.marker')}
            />
          </div>
        )}
      </Group>
      <Group
        legend={
          <Check
            label="Clear the results of older tool calls"
            checked={c !== undefined}
            testId="step-clear"
            onChange={(on) => {
              const { clear: _c, ...rest } = step;
              onChange(on ? { ...rest, clear: defaultClear() } : rest);
            }}
          />
        }
        error={issues.get('')}
      >
        {c && (
          <div className="step-form inner">
            <NumberInput
              label="Keep the last"
              hint="Tool uses whose results stay; older ones are replaced by the placeholder"
              value={c.keep}
              min={0}
              onChange={(keep) => onChange({ ...step, clear: { ...c, keep: keep! } })}
              error={issues.get('clear.keep')}
            />
            <TextInput
              label="Placeholder"
              value={c.placeholder ?? ''}
              onChange={(placeholder) => onChange({ ...step, clear: { ...c, placeholder } })}
              error={issues.get('clear.placeholder')}
            />
            <TextInput
              className="span-all"
              label="Never clear these tools (comma-separated)"
              value={(c.excludeTools ?? []).join(', ')}
              onChange={(text) =>
                onChange({
                  ...step,
                  clear: {
                    ...c,
                    excludeTools: text
                      .split(',')
                      .map((s) => s.trim())
                      .filter(Boolean),
                  },
                })
              }
            />
          </div>
        )}
      </Group>
    </div>
  );
}

function LastNForm({ step, onChange, issues }: FormProps<'lastN'>) {
  const byTurns = step.turns !== undefined;
  const name = useId();
  return (
    <div className="step-form">
      <div className="hfield span-all">
        <span className="hfield-label">Keep the latest</span>
        <div className="hradios" role="radiogroup" aria-label="Count">
          <label className="hcheck">
            <input
              type="radio"
              name={name}
              checked={!byTurns}
              onChange={() => {
                const { turns: _t, ...rest } = step;
                onChange({ ...rest, messages: step.turns ?? 20 });
              }}
            />
            messages
          </label>
          <label className="hcheck">
            <input
              type="radio"
              name={name}
              checked={byTurns}
              onChange={() => {
                const { messages: _m, ...rest } = step;
                onChange({ ...rest, turns: step.messages ?? 5 });
              }}
            />
            turns (from a user message)
          </label>
        </div>
      </div>
      <NumberInput
        label={byTurns ? 'Turns' : 'Messages'}
        value={byTurns ? step.turns : step.messages}
        min={1}
        onChange={(v) => onChange(byTurns ? { ...step, turns: v } : { ...step, messages: v })}
        error={issues.get(byTurns ? 'turns' : 'messages') ?? issues.get('')}
      />
      <Check
        label="Keep the first user message too"
        checked={step.keepFirstUser ?? false}
        onChange={(keepFirstUser) => onChange({ ...step, keepFirstUser })}
      />
    </div>
  );
}

function TokenBudgetForm({ step, onChange, issues }: FormProps<'tokenBudget'>) {
  return (
    <div className="step-form">
      <NumberInput
        label="Max input tokens"
        hint="The whole request (system prompt, tools, messages, framing) must fit in this"
        value={step.maxTokens}
        min={1}
        onChange={(maxTokens) => onChange({ ...step, maxTokens: maxTokens! })}
        error={issues.get('maxTokens')}
        testId="step-max-tokens"
      />
      <Check
        label="Keep the first user message"
        checked={step.keepFirstUser ?? false}
        onChange={(keepFirstUser) => onChange({ ...step, keepFirstUser })}
      />
    </div>
  );
}

function SummariseForm({ step, onChange, issues, models }: FormProps<'summarise'>) {
  const modelId = useId();
  const placementId = useId();
  const promptId = useId();
  const trigger = step.trigger ?? {};
  const setTrigger = (key: 'messages' | 'tokens' | 'contextFraction', v: number | undefined) => {
    const next = { ...trigger };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange({ ...step, trigger: next });
  };
  const prompt = step.prompt ?? DEFAULT_SUMMARY_PROMPT;
  return (
    <div className="step-form">
      <Field label="Summariser model" htmlFor={modelId} error={issues.get('model')} className="span-all">
        <ModelSelect
          id={modelId}
          models={models}
          value={step.model}
          onChange={(model) => onChange({ ...step, model })}
          testId="step-model"
          invalid={issues.has('model')}
        />
      </Field>
      <Group legend="Summarise when the request reaches (any one)" error={issues.get('trigger')}>
        <div className="step-form inner three">
          <NumberInput
            label="Messages"
            value={trigger.messages}
            min={1}
            placeholder="—"
            onChange={(v) => setTrigger('messages', v)}
            error={issues.get('trigger.messages')}
            testId="trigger-messages"
          />
          <NumberInput
            label="Input tokens"
            value={trigger.tokens}
            min={1}
            placeholder="—"
            onChange={(v) => setTrigger('tokens', v)}
            error={issues.get('trigger.tokens')}
            testId="trigger-tokens"
          />
          <NumberInput
            label="Share of context"
            hint="A fraction of the target model's context window, 0–1"
            value={trigger.contextFraction}
            min={0}
            step="any"
            placeholder="—"
            onChange={(v) => setTrigger('contextFraction', v)}
            error={issues.get('trigger.contextFraction')}
          />
        </div>
      </Group>
      <NumberInput
        label="Keep the last (messages)"
        hint="The latest messages stay verbatim (more when a tool call would be cut from its result)"
        value={step.keepLast}
        min={0}
        onChange={(keepLast) => onChange({ ...step, keepLast })}
        error={issues.get('keepLast')}
        testId="step-keep-last"
      />
      <NumberInput
        label="Max summary tokens"
        value={step.maxSummaryTokens}
        min={1}
        onChange={(maxSummaryTokens) => onChange({ ...step, maxSummaryTokens })}
        error={issues.get('maxSummaryTokens')}
      />
      <Field label="The summary goes into" htmlFor={placementId}>
        <select
          id={placementId}
          className="input"
          value={step.placement ?? 'message'}
          onChange={(e) => onChange({ ...step, placement: e.target.value as 'message' | 'system' })}
        >
          <option value="message">a user message</option>
          <option value="system">the system prompt</option>
        </select>
      </Field>
      <details className="step-prompt span-all">
        <summary>
          Summariser instructions{' '}
          <span className="muted">{prompt === DEFAULT_SUMMARY_PROMPT ? '(default)' : '(edited)'}</span>
        </summary>
        <Field
          label="{maxTokens} is replaced by the max summary tokens"
          htmlFor={promptId}
          error={issues.get('prompt')}
        >
          <textarea
            id={promptId}
            className="input textarea"
            rows={6}
            value={prompt}
            onChange={(e) => onChange({ ...step, prompt: e.target.value })}
          />
        </Field>
        {prompt !== DEFAULT_SUMMARY_PROMPT && (
          <button
            type="button"
            className="link-button"
            onClick={() => onChange({ ...step, prompt: DEFAULT_SUMMARY_PROMPT })}
          >
            Back to the default instructions
          </button>
        )}
      </details>
    </div>
  );
}

/** The form of one step: the schema's fields for its type. */
export function StepForm(props: {
  step: StepDraft;
  onChange(step: StepDraft): void;
  issues: Map<string, string>;
  models: ModelEntry[];
}) {
  const { step, onChange, issues, models } = props;
  switch (step.type) {
    case 'dropRepeats':
      return <DropRepeatsForm step={step} onChange={onChange} issues={issues} models={models} />;
    case 'toolResults':
      return <ToolResultsForm step={step} onChange={onChange} issues={issues} models={models} />;
    case 'lastN':
      return <LastNForm step={step} onChange={onChange} issues={issues} models={models} />;
    case 'tokenBudget':
      return <TokenBudgetForm step={step} onChange={onChange} issues={issues} models={models} />;
    case 'summarise':
      return <SummariseForm step={step} onChange={onChange} issues={issues} models={models} />;
  }
}
