import type { ReactNode } from 'react';
import { editConfigText, refreshEstimate, showEditor } from '../../app/benchActions';
import { Icon } from '../../components/Icon';
import { useBenchStore } from '../../stores/bench';
import { CellDetail } from './CellDetail';
import { CompareDialog } from './CompareDialog';
import { ConfigSummary, EstimateTable } from './ConfigSummary';
import { ReportView } from './ReportView';
import { RunPanel } from './RunPanel';
import { RunsList } from './RunsList';

/** The tab strip of a Benchmarks screen: the file's name and folder, its own buttons, and close. */
export function ScreenTab({
  path,
  icon,
  dirty,
  children,
}: {
  path: string;
  icon: 'bench' | 'table';
  dirty?: boolean;
  children?: ReactNode;
}) {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const folder = slash >= 0 ? path.slice(0, slash) : '';
  return (
    <div className="tab-strip">
      <div className="tab active" title={path}>
        <Icon name={icon} className="tab-icon" />
        <span className="tab-name" data-testid="bench-title">
          {name}
        </span>
        {dirty ? (
          <span className="dirty-dot" role="img" aria-label="unsaved changes" data-testid="golden-dirty" />
        ) : (
          <span className="dirty-spacer" aria-hidden="true" />
        )}
        <button
          type="button"
          className="tab-close"
          onClick={() => void showEditor()}
          aria-label={`Close ${name}`}
          title="Back to the prompt editor"
        >
          <Icon name="close" />
        </button>
      </div>
      <div className="tab-strip-fill">{folder && <span className="breadcrumb">{folder}</span>}</div>
      {children}
    </div>
  );
}

/**
 * A bench config: what it runs and its worst-case cost before anything is sent, Run (or batch), the live
 * progress, the report of the run picked in the runs list, the drill-down and the comparison of two runs.
 */
export function BenchView({ path }: { path: string }) {
  const estimate = useBenchStore((s) => (s.estimateFor === path ? s.estimate : null));
  const estimating = useBenchStore((s) => s.estimating);
  const estimateError = useBenchStore((s) => (s.estimateFor === path ? s.estimateError : null));
  const cellOpen = useBenchStore((s) => s.cellId !== null);
  const comparing = useBenchStore((s) => s.comparison !== null);
  const name = path.slice(path.lastIndexOf('/') + 1);

  return (
    <section className="bench-view" aria-label={`Benchmark: ${name}`} data-testid="bench-view">
      <ScreenTab path={path} icon="bench">
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void refreshEstimate()}
          disabled={estimating}
          title="Read the config, the golden set and the prompts again and re-estimate"
          data-testid="bench-reestimate"
        >
          <Icon name="undo" />
          Re-read
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void editConfigText(path)}
          title="Open the config file in the text editor"
        >
          <Icon name="file" />
          Edit config
        </button>
      </ScreenTab>
      <div className="bench-body">
        <div className="bench-main">
          {estimateError && (
            <p className="bench-error" role="alert" data-testid="bench-estimate-error">
              <Icon name="warning" /> {estimateError.message} <code>{estimateError.code}</code>
            </p>
          )}
          {!estimate && !estimateError && <p className="bench-note">Reading the config and estimating…</p>}
          {estimate && (
            <div className="bench-overview">
              <ConfigSummary path={path} result={estimate} />
              <section aria-labelledby="bench-estimate-title">
                <h2 className="bench-section-title" id="bench-estimate-title">
                  Worst-case cost, before anything is sent
                </h2>
                <EstimateTable result={estimate} />
              </section>
            </div>
          )}
          <RunPanel path={path} />
          <ReportView configPath={path} />
        </div>
        <aside className="bench-side" aria-label="Runs">
          <RunsList path={path} />
        </aside>
      </div>
      {cellOpen && <CellDetail />}
      {comparing && <CompareDialog />}
    </section>
  );
}
