import { useEffect, useRef } from 'react';
import {
  handleFinished,
  handleProgress,
  listBenchFiles,
  loadGolden,
  loadRuns,
  refreshEstimate,
} from '../../app/benchActions';
import { isFinal, useBenchStore } from '../../stores/bench';
import { useGoldenStore } from '../../stores/golden';
import { useWorkspaceStore } from '../../stores/workspace';
import { api } from '../../transport';

/** Quiet time after files change on disk before the lists and the estimate are read again. */
const CHANGE_DEBOUNCE_MS = 300;

function onFilesChanged(paths: readonly string[]): void {
  void listBenchFiles();
  const { screen, run } = useBenchStore.getState();
  if (screen?.kind === 'bench' && (!run || isFinal(run.status))) void refreshEstimate();
  const g = useGoldenStore.getState();
  if (screen?.kind === 'golden' && g.path !== null && paths.includes(g.path) && !g.dirty && !g.saving) {
    void loadGolden(g.path);
  }
}

/**
 * Keeps the Benchmarks screens in step with the backend: run progress and ends, the lists of configs and
 * golden sets when files change or another workspace opens, and the unsaved-golden-set guard on unload.
 */
export function BenchSync() {
  const root = useWorkspaceStore((s) => s.workspace?.root ?? null);
  const previousRoot = useRef<string | null>(null);

  useEffect(() => {
    if (previousRoot.current !== null && previousRoot.current !== root) {
      useBenchStore.getState().setScreen(null);
      useGoldenStore.getState().reset();
    }
    previousRoot.current = root;
    if (root !== null) {
      void listBenchFiles();
      void loadRuns({ quiet: true }); // the sidebar lists the newest runs of this workspace
    }
  }, [root]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = new Set<string>();
    const offs = [
      api.on('bench.progress', handleProgress),
      api.on('bench.finished', (e) => void handleFinished(e)),
      api.on('workspace.changed', (payload) => {
        if (payload.root !== useWorkspaceStore.getState().workspace?.root) return;
        for (const p of payload.paths) changed.add(p);
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          const paths = [...changed];
          changed.clear();
          onFilesChanged(paths);
        }, CHANGE_DEBOUNCE_MS);
      }),
    ];
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!useGoldenStore.getState().dirty) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      for (const off of offs) off();
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  return null;
}
