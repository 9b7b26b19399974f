import type { WorkspaceFile } from '../../../../shared/contract';
import { openBench } from '../../app/benchActions';
import { setCompressMode } from '../../app/compressActions';
import { openHistory, openPromptFile } from '../../app/historyActions';
import { useBenchStore } from '../../stores/bench';
import { useHistoryStore } from '../../stores/history';
import { useWorkspaceStore } from '../../stores/workspace';

/** The sample workspace's files each step prefers; any other workspace gets the closest fit. */
export const SAMPLE_PROMPT = 'prompts/telecom-tech-support-manual.md';
export const SAMPLE_BENCH = 'benchmarks/banking77-intent.bench.yaml';
export const SAMPLE_HISTORY = 'histories/tau-bench-airline-sample.json';

const PROMPT_EXT = /\.(md|txt|prompt)$/i;

/** The prompt the guide opens: the sample's long manual, else the largest prompt that is not a compressed copy. */
export function guidePrompt(files: readonly WorkspaceFile[]): string | null {
  if (files.some((f) => f.path === SAMPLE_PROMPT)) return SAMPLE_PROMPT;
  const prompts = files.filter((f) => PROMPT_EXT.test(f.path) && !/\.compressed\./i.test(f.path));
  if (prompts.length === 0) return null;
  return prompts.reduce((a, b) => (b.size > a.size ? b : a)).path;
}

function prefer(paths: readonly string[] | undefined, sample: string): string | null {
  if (!paths || paths.length === 0) return null;
  return paths.includes(sample) ? sample : paths[0]!;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

interface Step {
  id: string;
  title: string;
  text: string;
  /** The button's label; the step has no button when there is nothing to open. */
  action: string;
  target: string | null;
  run: (target: string) => void;
}

async function openInCompress(path: string): Promise<void> {
  if (await openPromptFile(path)) setCompressMode(true);
}

/** What the main area shows before a prompt is open: the three steps, each with a button that does it. */
export function EmptyState() {
  const files = useWorkspaceStore((s) => s.workspace?.files);
  const configs = useBenchStore((s) => s.files?.configs);
  const histories = useHistoryStore((s) => s.files?.histories);
  const hasFiles = (files?.length ?? 0) > 0;
  const prompt = guidePrompt(files ?? []);
  const bench = prefer(configs, SAMPLE_BENCH);
  const history = prefer(histories, SAMPLE_HISTORY);

  const steps: Step[] = [
    {
      id: 'measure',
      title: 'Measure',
      text: 'Open a prompt: exact tokens and what every send costs, per model, as you type.',
      action: 'Open',
      target: prompt,
      run: (p) => void openPromptFile(p),
    },
    {
      id: 'compress',
      title: 'Compress',
      text: 'The Compress view proposes edits you can inspect and reject one by one; guards keep placeholders, numbers, code and negations intact.',
      action: 'Compress',
      target: prompt,
      run: (p) => void openInCompress(p),
    },
    {
      id: 'prove',
      title: 'Prove',
      text: 'Benchmark the original against the compressed prompt on a golden set, across models, before you ship it.',
      action: 'Open',
      target: bench,
      run: (p) => void openBench(p),
    },
  ];
  const extra: Step = {
    id: 'history',
    title: 'Conversation histories',
    text: 'Long chats cost more every turn. Try a policy (trim, summarise) on a real history and see the saving and what the model still recalls.',
    action: 'Open',
    target: history,
    run: (p) => void openHistory(p),
  };

  return (
    <section className="empty-state" aria-labelledby="empty-title" data-testid="empty-state">
      <div className="empty-card">
        <h1 id="empty-title">
          Measure <span aria-hidden="true">→</span> Compress <span aria-hidden="true">→</span> Prove
        </h1>
        <p className="empty-lead">
          Three steps from a prompt you pay for to a cheaper one you can trust.
          {prompt || bench || history ? ' Each button does the step in this workspace.' : ''}
        </p>
        <ol className="steps" aria-label="Steps">
          {steps.map((step, i) => (
            <GuideStep key={step.id} step={step} marker={String(i + 1)} />
          ))}
        </ol>
        <ul className="steps steps-extra" aria-label="More">
          <GuideStep step={extra} marker="+" />
        </ul>
        <p className="empty-hint">
          {hasFiles
            ? 'Pick a prompt on the left to start measuring it.'
            : 'Open a folder with .md, .txt or .prompt files to start.'}
        </p>
      </div>
    </section>
  );
}

function GuideStep({ step, marker }: { step: Step; marker: string }) {
  const titleId = `guide-${step.id}-title`;
  const target = step.target;
  return (
    <li className="step" data-testid="guide-step" data-step={step.id} aria-labelledby={titleId}>
      <span className="step-number" aria-hidden="true">
        {marker}
      </span>
      <div className="guide-body">
        <div className="step-title" id={titleId}>
          {step.title}
        </div>
        <div className="step-text">{step.text}</div>
        {target !== null && (
          <button
            type="button"
            className="button button-secondary small guide-action"
            data-testid={`guide-${step.id}`}
            aria-label={`${step.action} ${baseName(target)}${step.id === 'compress' ? ' in the Compress view' : ''}`}
            title={target}
            onClick={() => step.run(target)}
          >
            {step.action} <span className="guide-target">{baseName(target)}</span>
          </button>
        )}
      </div>
    </li>
  );
}
