import { useEffect, useState } from 'react';
import { closeHistory, loadHistory, savePolicy } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { useHistoryStore } from '../../stores/history';
import { ConversationPicker } from './ConversationPicker';
import { ExportPanel } from './ExportPanel';
import { FidelityPanel } from './FidelityPanel';
import { PolicyEditor } from './PolicyEditor';
import { SimulateBar, SimulationResultView } from './SimulationPanel';
import { Timeline } from './Timeline';

const FORMAT_LABEL: Record<string, string> = {
  openai: 'OpenAI chat messages',
  anthropic: 'Anthropic messages',
  sharegpt: 'ShareGPT',
  jsonl: 'JSON Lines',
  transcript: 'plain transcript',
};

function HistoryTab({ path }: { path: string | null }) {
  const loading = useHistoryStore((s) => s.loading);
  const slash = path?.lastIndexOf('/') ?? -1;
  const name = path ? path.slice(slash + 1) : 'History';
  const folder = path && slash >= 0 ? path.slice(0, slash) : '';
  return (
    <div className="tab-strip">
      <div className="tab active" title={path ?? undefined}>
        <Icon name="history" className="tab-icon" />
        <span className="tab-name" data-testid="history-title">
          {name}
        </span>
        <button
          type="button"
          className="tab-close"
          onClick={closeHistory}
          aria-label={`Close ${name}`}
          title="Back to the prompt editor"
        >
          <Icon name="close" />
        </button>
      </div>
      <div className="tab-strip-fill">{folder && <span className="breadcrumb">{folder}</span>}</div>
      {path && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void loadHistory(path)}
          disabled={loading}
          title="Read the history file again"
        >
          <Icon name="undo" />
          Re-read
        </button>
      )}
    </div>
  );
}

function FileFacts() {
  const summary = useHistoryStore((s) => s.summary);
  const loading = useHistoryStore((s) => s.loading);
  const error = useHistoryStore((s) => s.loadError);
  if (error)
    return (
      <p className="history-error" role="alert" data-testid="history-load-error">
        <Icon name="warning" />
        <span>{error.message}</span> <code>{error.code}</code>
      </p>
    );
  if (!summary) return loading ? <p className="history-note">Reading the history…</p> : null;
  const warnings = summary.warnings;
  return (
    <div className="history-facts" data-testid="history-facts">
      <span>
        {FORMAT_LABEL[summary.format] ?? summary.format} · {summary.conversations.length}{' '}
        {summary.conversations.length === 1 ? 'conversation' : 'conversations'}
      </span>
      {warnings.length > 0 && (
        <details className="history-warnings">
          <summary>
            <Icon name="warning" /> {warnings.length} {warnings.length === 1 ? 'warning' : 'warnings'} from
            the import
          </summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>
                {w.line !== undefined && <span className="muted">line {w.line}: </span>}
                {w.field && <code>{w.field}</code>} {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** Saves the policy with Ctrl/⌘+S while the view is open (the app's own shortcut saves prompts). */
function useSaveShortcut() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (
        (event.ctrlKey || event.metaKey) &&
        !event.altKey &&
        !event.shiftKey &&
        event.key.toLowerCase() === 's'
      ) {
        event.preventDefault();
        const s = useHistoryStore.getState();
        if (s.policyDirty && s.policyPath !== null) void savePolicy();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * The History view: a history file's conversations and the picked one's turn timeline on the left; the policy
 * editor, the simulation against a target model, its result, the recall check and the export on the right.
 */
export function HistoryView() {
  const path = useHistoryStore((s) => s.path);
  const [focus, setFocus] = useState<{ index: number; at: number } | null>(null);
  useSaveShortcut();
  return (
    <section className="history-view" aria-label="History" data-testid="history-view">
      <HistoryTab path={path} />
      <div className="history-body">
        <div className="history-main">
          {path === null ? (
            <p className="history-note">
              Open a conversation history from the sidebar (Histories) to see its turns and simulate a policy
              on it.
            </p>
          ) : (
            <>
              <FileFacts />
              <ConversationPicker />
              <Timeline focus={focus} />
            </>
          )}
        </div>
        <aside className="history-side" aria-label="Policy and simulation">
          <PolicyEditor />
          <SimulateBar />
          <SimulationResultView onPickTurn={(index) => setFocus({ index, at: Date.now() })} />
          <FidelityPanel />
          <ExportPanel />
        </aside>
      </div>
    </section>
  );
}
