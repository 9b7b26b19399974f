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

/** The sidebar's Histories section: conversation histories and history policies (history.listFiles). */
export function HistoryFiles() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const files = useHistoryStore((s) => s.files);
  const available = useHistoryStore((s) => s.available);
  if (!workspace) return null;
  const count = files ? files.histories.length + files.policies.length : 0;
  return (
    <section className="history-files" aria-labelledby="history-files-title">
      <div className="sidebar-section-title" id="history-files-title">
        <span>Histories</span>
        {files && <span className="count-badge">{count}</span>}
      </div>
      <div className="history-files-scroll">
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
      </div>
    </section>
  );
}
