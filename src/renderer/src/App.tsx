import { useEffect, type CSSProperties } from 'react';
import { handleJobProgress } from './app/jobs';
import { watchSession } from './app/session';
import { cycleTab } from './app/tabs';
import { DropZone } from './features/workspace/DropZone';
import { SidebarSplitter } from './features/workspace/SidebarSplitter';
import { TabStrip } from './features/tabs/TabStrip';
import { useLayoutStore } from './stores/layout';
import { dirtyBuffers, useTabsStore } from './stores/tabs';
import './styles/layout.css';
import { bootstrap, onWorkspaceChanged, saveFile } from './app/actions';
import { ConfirmDialog } from './components/ConfirmDialog';
import { BenchArea } from './features/bench/BenchArea';
import { BenchSync } from './features/bench/BenchSync';
import { CostPanel } from './features/costs/CostPanel';
import { CostSync } from './features/costs/CostSync';
import { EditorPane } from './features/editor/EditorPane';
import { HistoryArea } from './features/history/HistoryArea';
import { HistorySync } from './features/history/HistorySync';
import { ModelsDialog } from './features/models/ModelsDialog';
import { ProvidersDialog } from './features/providers/ProvidersDialog';
import { TextEditorContext, type TextEditorComponent } from './features/editor/editorHost';
import { Notices } from './features/notices/Notices';
import { CommandPalette } from './features/palette/CommandPalette';
import { StatusBar } from './features/status/StatusBar';
import { Sidebar } from './features/workspace/Sidebar';
import { useBenchStore } from './stores/bench';
import { useCompressStore } from './stores/compress';
import { useEditorStore } from './stores/editor';
import { useHistoryStore } from './stores/history';
import { api } from './transport';

export interface AppProps {
  /** The text editor to use; tests pass a textarea so Monaco never loads in happy-dom. */
  editor?: TextEditorComponent;
}

function useAppLifecycle(): void {
  useEffect(() => {
    useLayoutStore.getState().hydrate();
    const stopSession = watchSession();
    void bootstrap();
    const offs = [
      api.on('workspace.changed', (payload) => void onWorkspaceChanged(payload)),
      api.on('job.progress', handleJobProgress),
    ];
    return () => {
      offs.forEach((off) => off());
      stopSession();
    };
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // Ctrl+Tab / Ctrl+PageDown: next tab; with Shift / PageUp: the previous one
      if (event.ctrlKey && !event.altKey && !event.metaKey) {
        const step =
          event.key === 'Tab'
            ? event.shiftKey
              ? -1
              : 1
            : event.key === 'PageDown'
              ? 1
              : event.key === 'PageUp'
                ? -1
                : 0;
        if (step !== 0) {
          event.preventDefault();
          void cycleTab(step);
          return;
        }
      }
      if (
        (event.ctrlKey || event.metaKey) &&
        !event.altKey &&
        !event.shiftKey &&
        event.key.toLowerCase() === 's'
      ) {
        event.preventDefault();
        // a Benchmarks screen saves its own file (the golden-set editor), the History view its policy
        if (
          useEditorStore.getState().path !== null &&
          useBenchStore.getState().screen === null &&
          !useHistoryStore.getState().open
        )
          void saveFile();
      }
    };
    // Unsaved edits: the browser (or Electron's close handler) asks before the page goes away.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!useEditorStore.getState().dirty && dirtyBuffers(useTabsStore.getState().buffers).length === 0)
        return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);
}

/** The cost panel appears next to an open prompt (the Compress view has its own side panel). */
function SidePanel() {
  const hasFile = useEditorStore((s) => s.path !== null);
  const compressing = useCompressStore((s) => s.mode === 'compress');
  return hasFile && !compressing ? <CostPanel /> : null;
}

function Shell() {
  useAppLifecycle();
  const benchOpen = useBenchStore((s) => s.screen !== null);
  const historyOpen = useHistoryStore((s) => s.open);
  const sidebarWidth = useLayoutStore((s) => s.sidebarWidth);
  return (
    <div className="app" style={{ '--sidebar-width': `${sidebarWidth}px` } as CSSProperties}>
      <Sidebar />
      <SidebarSplitter />
      <main className="main">
        <TabStrip />
        <div className="main-body">
          {/* kept mounted behind a Benchmarks screen, so the prompt keeps its undo history */}
          <div className="main-editor" hidden={benchOpen || historyOpen}>
            <EditorPane />
            <SidePanel />
          </div>
          <BenchArea />
          <HistoryArea />
        </div>
      </main>
      <CostSync />
      <BenchSync />
      <HistorySync />
      <StatusBar />
      <Notices />
      <ModelsDialog />
      <ProvidersDialog />
      <ConfirmDialog />
      <CommandPalette />
      <DropZone />
    </div>
  );
}

/** The workbench: sidebar, editor, status bar, notices. */
export function App({ editor }: AppProps) {
  if (!editor) return <Shell />;
  return (
    <TextEditorContext.Provider value={editor}>
      <Shell />
    </TextEditorContext.Provider>
  );
}
