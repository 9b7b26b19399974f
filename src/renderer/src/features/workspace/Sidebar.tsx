import { Icon } from '../../components/Icon';
import { useCatalogStore } from '../../stores/catalog';
import { useProvidersStore } from '../../stores/providers';
import { useWorkspaceStore } from '../../stores/workspace';
import { BenchFiles } from '../bench/BenchFiles';
import { HistoryFiles } from '../history/HistoryFiles';
import { FileList } from './FileList';
import { OpenFolder } from './OpenFolder';

/** The left column: which workspace is open, how to open another, and its prompt files. */
export function Sidebar() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const loading = useWorkspaceStore((s) => s.loading);
  const openModels = useCatalogStore((s) => s.openDialog);
  const openProviders = useProvidersStore((s) => s.openDialog);

  return (
    <nav className="sidebar" aria-label="Workspace">
      <header className="sidebar-header">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">P</span>
          PromptPress
        </div>
        <div className="workspace-name" title={workspace?.root}>
          {workspace ? workspace.name : loading ? 'Opening…' : 'No workspace'}
        </div>
        {workspace && (
          <div className="workspace-root" title={workspace.root}>
            {/* Ellipsis at the start keeps the folder name visible; the isolate keeps the path left-to-right. */}
            <bdi dir="ltr">{workspace.root}</bdi>
          </div>
        )}
      </header>
      <OpenFolder />
      <div className="sidebar-section-title" id="prompt-files-title">
        <span>Prompts</span>
        {workspace && <span className="count-badge">{workspace.files.length}</span>}
      </div>
      <div className="sidebar-scroll">
        {workspace && <FileList files={workspace.files} />}
        {workspace?.truncated && (
          <p className="sidebar-note">
            This folder has more prompt files than PromptPress lists; showing the first ones.
          </p>
        )}
      </div>
      <BenchFiles />
      <HistoryFiles />
      <footer className="sidebar-footer">
        <button
          type="button"
          className="button button-ghost sidebar-footer-button"
          title="Override a price, add a model, import LiteLLM prices"
          onClick={openModels}
        >
          <Icon name="settings" />
          Models and prices…
        </button>
        <button
          type="button"
          className="button button-ghost sidebar-footer-button"
          title="Anthropic, OpenAI and OpenAI-compatible endpoints: keys, limits, connection test"
          onClick={openProviders}
        >
          <Icon name="key" />
          Model providers…
        </button>
      </footer>
    </nav>
  );
}
