import { useEffect } from 'react';
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
    void bootstrap();
    return api.on('workspace.changed', (payload) => void onWorkspaceChanged(payload));
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
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
      if (!useEditorStore.getState().dirty) return;
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
  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        {/* kept mounted behind a Benchmarks screen, so the prompt keeps its undo history */}
        <div className="main-editor" hidden={benchOpen || historyOpen}>
          <EditorPane />
          <SidePanel />
        </div>
        <BenchArea />
        <HistoryArea />
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
