import { useState } from 'react';
import { defaultExportPath, exportReport } from '../../app/benchActions';
import { formatInt, formatUsd } from '../../lib/format';
import { useBenchStore } from '../../stores/bench';
import { BENCH_EXPORT_FORMATS, type BenchExportFormat, type BenchReport } from '../../../../shared/bench';
import { CellTable } from './CellTable';
import { GroupTable, Verdicts } from './GroupTable';
import { runTime } from './RunsList';
import { Scatter } from './Scatter';

const FORMAT_LABEL: Record<BenchExportFormat, string> = {
  json: 'JSON',
  csv: 'CSV',
  md: 'Markdown',
  html: 'HTML',
};

/** Export buttons: each writes the report into the workspace (reports/ beside the config by default). */
function ExportBar({ configPath, runId }: { configPath: string; runId: string }) {
  const [busy, setBusy] = useState<BenchExportFormat | null>(null);
  const run = async (format: BenchExportFormat) => {
    setBusy(format);
    await exportReport(format, defaultExportPath(configPath, runId, format));
    setBusy(null);
  };
  return (
    <span
      className="bench-export"
      role="group"
      aria-label="Export the report"
      title={`Writes ${defaultExportPath(configPath, runId, 'json').replace(/\.json$/, '.*')} in the workspace`}
    >
      <span className="bench-note inline">Export</span>
      {BENCH_EXPORT_FORMATS.map((f) => (
        <button
          key={f}
          type="button"
          className="button button-secondary small"
          disabled={busy !== null}
          onClick={() => void run(f)}
          data-testid={`bench-export-${f}`}
        >
          {busy === f ? 'Exporting…' : FORMAT_LABEL[f]}
        </button>
      ))}
    </span>
  );
}

const REPORT_STATUS: Record<BenchReport['status'], string> = {
  completed: 'completed',
  'budget-stopped': 'stopped at the budget',
  cancelled: 'cancelled',
  running: 'running: what has finished so far',
  interrupted: 'interrupted: resume it from the runs list',
  failed: 'failed',
};

/** A run's report: verdicts, the variant × model table, the cost/quality scatter and every case. */
export function ReportView({ configPath }: { configPath: string }) {
  const report = useBenchStore((s) => s.report);
  const loading = useBenchStore((s) => s.reportLoading);
  const error = useBenchStore((s) => s.reportError);
  const selected = useBenchStore((s) => s.selectedRunId);
  const live = useBenchStore((s) => s.run?.runId === s.selectedRunId && s.run?.status === 'running');
  if (!selected) return null;
  if (!report) {
    return (
      <section className="bench-report" aria-label="Report">
        <p className="bench-note">
          {error ? `${error.message} (${error.code})` : loading || live ? 'Waiting for the first cells…' : ''}
        </p>
      </section>
    );
  }
  const runId = report.runId ?? selected;
  return (
    <section className="bench-report" aria-label="Report" data-testid="bench-report" data-live={live}>
      <header className="bench-report-head">
        <h2>
          Report
          <span className="muted">
            {report.createdAt ? ` · ${runTime(report.createdAt)}` : ''} ·{' '}
            {live ? 'running, so far' : REPORT_STATUS[report.status]}
          </span>
        </h2>
        <span className="bench-note inline" data-testid="report-facts">
          {formatInt(report.cells.length)} cells · {formatUsd(report.spentUsd)} spent ·{' '}
          {formatInt(report.providerCalls)} provider calls · {formatInt(report.cachedCells)} cached
        </span>
        {!live && <ExportBar configPath={configPath} runId={runId} />}
      </header>
      <div className="bench-report-grid">
        <Verdicts report={report} />
        <Scatter report={report} />
      </div>
      <GroupTable report={report} />
      <h3 className="bench-h3">Per case</h3>
      <CellTable report={report} />
    </section>
  );
}
