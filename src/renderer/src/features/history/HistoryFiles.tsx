import { openHistory, openPolicyFile } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { useBenchStore } from '../../stores/bench';
import { useHistoryStore } from '../../stores/history';
import { useWorkspaceStore } from '../../stores/workspace';

function Item({ path, kind }: { path: string; kind: 'history' | 'policy' }) {
  const active = useHistoryStore(
    (s) => s.open && (kind === 'history' ? s.path === path : s.policyPath === path),
  );
  const benchOpen = useBenchStore((s) => s.screen !== null);
  const dirty = useHistoryStore((s) => kind === 'policy' && s.policyPath === path && s.policyDirty);
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dir = slash >= 0 ? path.slice(0, slash) : '';
  const shown = active && !benchOpen;
  return (
    <button
      type="button"
      className={shown ? 'history-file active' : 'history-file'}
      aria-current={shown ? 'page' : undefined}
      title={path}
      data-testid={kind === 'history' ? 'history-file-item' : 'policy-file-item'}
      data-path={path}
      onClick={() => void (kind === 'history' ? openHistory(path) : openPolicyFile(path))}
    >
      <Icon name={kind === 'history' ? 'history' : 'settings'} className="file-icon" />
      <span className="history-file-name">{name}</span>
      {dirty && <span className="dirty-dot" role="img" aria-label="unsaved changes" />}
      {dir && <span className="history-file-dir">{dir}</span>}
    </button>
  );
}

type HistoryFileLists = { histories: string[]; policies: string[] } | null;

/** How many histories and policies the sidebar lists; undefined until the list has loaded. */
export function historyFileCount(files: HistoryFileLists): number | undefined {
  return files ? files.histories.length + files.policies.length : undefined;
}

/**
 * The body of the sidebar's Histories section: conversation histories and history policies
 * (history.listFiles). The section around it (title, count, collapsing) is the sidebar's.
 */
export function HistoryFiles() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const files = useHistoryStore((s) => s.files);
  const available = useHistoryStore((s) => s.available);
  if (!workspace) return null;
  const count = historyFileCount(files) ?? 0;
  return (
    <>
      {!available && <p className="sidebar-empty">This host does not read conversation histories.</p>}
      {available && files && count === 0 && (
        <p className="sidebar-empty">
          No histories (<code>histories/*.json</code>, <code>*.chat.jsonl</code>) or policies (
          <code>*.policy.json</code>) in this folder yet.
        </p>
      )}
      {files && files.histories.length > 0 && (
        <div role="group" aria-label="Conversation histories">
          <div className="file-group-label">Conversations</div>
          {files.histories.map((p) => (
            <Item key={p} path={p} kind="history" />
          ))}
        </div>
      )}
      {files && files.policies.length > 0 && (
        <div role="group" aria-label="History policies">
          <div className="file-group-label">Policies</div>
          {files.policies.map((p) => (
            <Item key={p} path={p} kind="policy" />
          ))}
        </div>
      )}
      {!files && <p className="sidebar-empty">Looking for histories…</p>}
    </>
  );
}
