import { openBench, openGolden, selectRun, workspacePath } from '../../app/benchActions';
import type { BenchRunSummary } from '../../../../shared/bench';
import { Icon } from '../../components/Icon';
import { SidebarItem } from '../../components/SidebarItem';
import { useBenchStore } from '../../stores/bench';
import { useGoldenStore } from '../../stores/golden';
import { useWorkspaceStore } from '../../stores/workspace';

function Item({ path, kind }: { path: string; kind: 'bench' | 'golden' }) {
  const active = useBenchStore((s) => s.screen?.kind === kind && s.screen.path === path);
  const dirty = useGoldenStore((s) => kind === 'golden' && s.path === path && s.dirty);
  const slash = path.lastIndexOf('/');
  return (
    <SidebarItem
      icon={kind === 'bench' ? 'bench' : 'table'}
      name={path.slice(slash + 1)}
      detail={slash >= 0 ? path.slice(0, slash) : undefined}
      active={active}
      dirty={dirty}
      title={path}
      testId={kind === 'bench' ? 'bench-config-item' : 'golden-set-item'}
      data={{ 'data-path': path }}
      onClick={() => void (kind === 'bench' ? openBench(path) : openGolden(path))}
    />
  );
}

/** Stored runs listed in the sidebar (the newest of this workspace; the Runs panel of a config has all). */
export const SIDEBAR_RUNS = 5;

const RUN_STATUS: Record<BenchRunSummary['status'], string> = {
  running: 'running',
  completed: 'completed',
  'budget-stopped': 'stopped at budget',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  failed: 'failed',
};

function RunItem({ run }: { run: BenchRunSummary }) {
  const config = workspacePath(run.file);
  const active = useBenchStore((s) => s.selectedRunId === run.runId && s.screen?.kind === 'bench');
  const when = new Date(run.createdAt);
  const label = `${when.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${when.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', hour12: false })}`;
  const pass = run.passRate === null ? '' : ` · ${(run.passRate * 100).toFixed(1)}% pass`;
  return (
    <SidebarItem
      icon="play"
      name={run.name ?? config.slice(config.lastIndexOf('/') + 1)}
      detail={`${label} · ${RUN_STATUS[run.status]}`}
      active={active}
      title={`${config} · ${RUN_STATUS[run.status]} · ${run.done}/${run.total} cells${pass}`}
      testId="sidebar-run-item"
      data={{ 'data-run': run.runId }}
      onClick={() => void openBench(config).then((ok) => (ok ? selectRun(run.runId) : undefined))}
    />
  );
}

type BenchFileLists = { configs: string[]; goldenSets: string[] } | null;

/** How many bench configs and golden sets the sidebar lists; undefined until the list has loaded. */
export function benchFileCount(files: BenchFileLists): number | undefined {
  return files ? files.configs.length + files.goldenSets.length : undefined;
}

/**
 * The body of the sidebar's Benchmarks section: the workspace's bench configs and golden sets
 * (bench.listFiles). The section around it (title, count, collapsing) is the sidebar's.
 */
export function BenchFiles() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const files = useBenchStore((s) => s.files);
  const available = useBenchStore((s) => s.available);
  const allRuns = useBenchStore((s) => s.runs);
  if (!workspace) return null;
  const root = workspace.root.replace(/\\/g, '/').replace(/\/+$/, '');
  const runs = allRuns
    .filter((r) => r.file.replace(/\\/g, '/').startsWith(`${root}/`))
    .slice(0, SIDEBAR_RUNS);
  const count = benchFileCount(files) ?? 0;
  return (
    <>
      {!available && <p className="sidebar-empty">This host does not run benchmarks.</p>}
      {available && files && count === 0 && (
        <p className="sidebar-empty">
          No bench configs (<code>*.bench.yaml</code>) or golden sets in this folder yet.
        </p>
      )}
      {files && files.configs.length > 0 && (
        <div role="group" aria-label="Bench configs">
          <div className="file-group-label">Configs</div>
          {files.configs.map((p) => (
            <Item key={p} path={p} kind="bench" />
          ))}
        </div>
      )}
      {files && files.goldenSets.length > 0 && (
        <div role="group" aria-label="Golden sets">
          <div className="file-group-label">Golden sets</div>
          {files.goldenSets.map((p) => (
            <Item key={p} path={p} kind="golden" />
          ))}
        </div>
      )}
      {runs.length > 0 && (
        <div role="group" aria-label="Recent runs">
          <div className="file-group-label">Recent runs</div>
          {runs.map((r) => (
            <RunItem key={r.runId} run={r} />
          ))}
        </div>
      )}
      {!files && (
        <p className="sidebar-empty">
          <Icon name="history" /> Looking for benchmarks…
        </p>
      )}
    </>
  );
}
