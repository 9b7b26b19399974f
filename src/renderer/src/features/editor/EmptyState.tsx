import { useWorkspaceStore } from '../../stores/workspace';

const STEPS = [
  { title: 'Measure', text: 'Exact tokens and the cost of every send, per model, as you type.' },
  { title: 'Compress', text: 'Inspectable edits that keep the meaning, each with its saving.' },
  { title: 'Prove', text: 'Benchmark the original against the compressed prompt on a golden set.' },
];

/** What the main area shows before a prompt is open. */
export function EmptyState() {
  const hasFiles = useWorkspaceStore((s) => (s.workspace?.files.length ?? 0) > 0);
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <div className="empty-card">
        <h1 id="empty-title">
          Measure <span aria-hidden="true">→</span> Compress <span aria-hidden="true">→</span> Prove
        </h1>
        <ol className="steps">
          {STEPS.map((step, i) => (
            <li key={step.title} className="step">
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <div>
                <div className="step-title">{step.title}</div>
                <div className="step-text">{step.text}</div>
              </div>
            </li>
          ))}
        </ol>
        <p className="empty-hint">
          {hasFiles
            ? 'Pick a prompt on the left to start measuring it.'
            : 'Open a folder with .md, .txt or .prompt files to start.'}
        </p>
      </div>
    </section>
  );
}
