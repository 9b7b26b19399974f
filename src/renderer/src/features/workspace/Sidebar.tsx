import { useId, useState, type ReactNode } from 'react';
import { Icon } from '../../components/Icon';
import { readStored, writeStored } from '../../lib/storage';
import { useBenchStore } from '../../stores/bench';
import { useCatalogStore } from '../../stores/catalog';
import { useHistoryStore } from '../../stores/history';
import { useProvidersStore } from '../../stores/providers';
import { useWorkspaceStore } from '../../stores/workspace';
import { modKey } from '../palette/commands';
import { usePaletteStore } from '../palette/paletteStore';
import { BenchFiles, benchFileCount } from '../bench/BenchFiles';
import { HistoryFiles, historyFileCount } from '../history/HistoryFiles';
import { PipelineFiles } from '../compress/PipelineFiles';
import { FileList } from './FileList';
import { OpenFolder } from './OpenFolder';

/** Which sidebar sections are collapsed, kept in localStorage: `{ benchmarks: false }` (open unless false). */
export const SIDEBAR_SECTIONS_KEY = 'promptpress.sidebar.sections';

export type SidebarSectionId = 'prompts' | 'benchmarks' | 'histories';

function storedOpen(id: SidebarSectionId): boolean {
  const stored = readStored(SIDEBAR_SECTIONS_KEY);
  return !(stored && typeof stored === 'object' && (stored as Record<string, unknown>)[id] === false);
}

function storeOpen(id: SidebarSectionId, open: boolean): void {
  const stored = readStored(SIDEBAR_SECTIONS_KEY);
  const current = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
  writeStored(SIDEBAR_SECTIONS_KEY, { ...current, [id]: open });
}

/**
 * One collapsible list of the sidebar: a disclosure button with the section's name and count, and a body
 * that scrolls on its own. Whether it is open is remembered across sessions.
 */
function SidebarSection({
  id,
  title,
  count,
  children,
}: {
  id: SidebarSectionId;
  title: string;
  count: number | undefined;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(() => storedOpen(id));
  const bodyId = useId();
  const toggle = () => {
    setOpen(!open);
    storeOpen(id, !open);
  };
  return (
    <section
      className={`sidebar-section sidebar-section-${id}`}
      data-open={open}
      aria-labelledby={`${id}-section-title`}
      data-testid={`sidebar-section-${id}`}
    >
      <div className="sidebar-section-title">
        <button
          type="button"
          className="section-toggle"
          id={`${id}-section-title`}
          aria-expanded={open}
          aria-controls={bodyId}
          data-testid={`section-toggle-${id}`}
          onClick={toggle}
        >
          <Icon name="chevron" className="section-chevron" />
          <span className="section-name">{title}</span>
          {count !== undefined && <span className="count-badge">{count}</span>}
        </button>
      </div>
      {/* hidden rather than unmounted: a list keeps its keyboard position while collapsed */}
      <div className="sidebar-section-body" id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  );
}

/**
 * The left column: which workspace is open, how to open another, and its files in three collapsible
 * sections (prompts, benchmarks, histories) that each scroll within themselves.
 */
export function Sidebar() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const loading = useWorkspaceStore((s) => s.loading);
  const benchCount = useBenchStore((s) => benchFileCount(s.files));
  const historyCount = useHistoryStore((s) => historyFileCount(s.files));
  const openModels = useCatalogStore((s) => s.openDialog);
  const openProviders = useProvidersStore((s) => s.openDialog);

  return (
    <nav className="sidebar" aria-label="Workspace">
      <header className="sidebar-header">
        <div className="brand-row">
          <div className="brand" aria-hidden="true">
            <span className="brand-mark">P</span>
            PromptPress
          </div>
          <button
            type="button"
            className="palette-button"
            title={`Command palette: every action of the app (${modKey()}+K)`}
            onClick={() => usePaletteStore.getState().setOpen(true)}
            data-testid="palette-button"
          >
            <Icon name="search" />
            <span className="visually-hidden">Command palette</span>
            <kbd>{modKey()}+K</kbd>
          </button>
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
      <SidebarSection id="prompts" title="Prompts" count={workspace?.files.length}>
        {workspace && <FileList files={workspace.files} />}
        <PipelineFiles />
        {workspace?.truncated && (
          <p className="sidebar-note">
            This folder has more prompt files than PromptPress lists; showing the first ones.
          </p>
        )}
      </SidebarSection>
      {workspace && (
        <SidebarSection id="benchmarks" title="Benchmarks" count={benchCount}>
          <BenchFiles />
        </SidebarSection>
      )}
      {workspace && (
        <SidebarSection id="histories" title="Histories" count={historyCount}>
          <HistoryFiles />
        </SidebarSection>
      )}
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
