import { useEffect, useRef } from 'react';
import { listHistoryFiles, loadHistory } from '../../app/historyActions';
import { useBenchStore } from '../../stores/bench';
import { useHistoryStore } from '../../stores/history';
import { useWorkspaceStore } from '../../stores/workspace';
import { api } from '../../transport';

/** Quiet time after files change on disk before the lists are read again. */
const CHANGE_DEBOUNCE_MS = 300;

function onFilesChanged(paths: readonly string[]): void {
  void listHistoryFiles();
  const { path, open } = useHistoryStore.getState();
  // the history shown changed on disk: read it again (the conversation stays when it is still there)
  if (open && path !== null && paths.includes(path)) void loadHistory(path, { quiet: true });
}

/**
 * Keeps the History view in step with the app: the lists of histories and policies when files change or
 * another workspace opens, the view closed when a Benchmarks screen opens, and the unsaved-policy guard on
 * unload.
 */
export function HistorySync() {
  const root = useWorkspaceStore((s) => s.workspace?.root ?? null);
  const previousRoot = useRef<string | null>(null);

  useEffect(() => {
    if (previousRoot.current !== null && previousRoot.current !== root) useHistoryStore.getState().reset();
    previousRoot.current = root;
    if (root !== null) void listHistoryFiles();
  }, [root]);

  // one screen at a time in the main area: a Benchmarks screen replaces the History view
  useEffect(
    () =>
      useBenchStore.subscribe((s, before) => {
        if (s.screen !== null && before.screen === null) useHistoryStore.getState().setOpen(false);
      }),
    [],
  );

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = new Set<string>();
    const off = api.on('workspace.changed', (payload) => {
      if (payload.root !== useWorkspaceStore.getState().workspace?.root) return;
      for (const p of payload.paths) changed.add(p);
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const paths = [...changed];
        changed.clear();
        onFilesChanged(paths);
      }, CHANGE_DEBOUNCE_MS);
    });
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!useHistoryStore.getState().policyDirty) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  return null;
}
