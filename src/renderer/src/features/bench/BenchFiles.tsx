import { openBench, openGolden } from '../../app/benchActions';
import { Icon } from '../../components/Icon';
import { useBenchStore } from '../../stores/bench';
import { useGoldenStore } from '../../stores/golden';
import { useWorkspaceStore } from '../../stores/workspace';

function Item({ path, kind }: { path: string; kind: 'bench' | 'golden' }) {
  const active = useBenchStore((s) => s.screen?.kind === kind && s.screen.path === path);
  const dirty = useGoldenStore((s) => kind === 'golden' && s.path === path && s.dirty);
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dir = slash >= 0 ? path.slice(0, slash) : '';
  return (
    <button
      type="button"
      className={active ? 'bench-file active' : 'bench-file'}
      aria-current={active ? 'page' : undefined}
      title={path}
      data-testid={kind === 'bench' ? 'bench-config-item' : 'golden-set-item'}
      data-path={path}
      onClick={() => void (kind === 'bench' ? openBench(path) : openGolden(path))}
    >
      {kind === 'bench' ? (
        <Icon name="bench" className="file-icon" />
      ) : (
        <Icon name="table" className="file-icon" />
      )}
      <span className="bench-file-name">{name}</span>
      {dirty && <span className="dirty-dot" role="img" aria-label="unsaved changes" />}
      {dir && <span className="bench-file-dir">{dir}</span>}
    </button>
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
  if (!workspace) return null;
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
      {!files && (
        <p className="sidebar-empty">
          <Icon name="history" /> Looking for benchmarks…
        </p>
      )}
    </>
  );
}
