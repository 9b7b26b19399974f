import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCacheStore } from '../../stores/cacheWhatIf';
import { useCatalogStore } from '../../stores/catalog';
import { useCostPanelStore } from '../../stores/costPanel';
import { useCostStore } from '../../stores/costs';
import { useEditorStore } from '../../stores/editor';
import { useModelSelectionStore } from '../../stores/modelSelection';
import { useProjectionStore } from '../../stores/projection';
import { useTokensStore } from '../../stores/tokens';
import { useWorkloadStore } from '../../stores/workload';
import { useWorkspaceStore } from '../../stores/workspace';

/**
 * Keeps the cost panel's numbers in step with the editor: the visible tab is recomputed as the text, the
 * models or the assumptions change (each store debounces and drops stale answers), and edits are checked
 * against the cache baseline even while the panel shows another tab. Renders nothing; it lives apart from
 * the panel so that keystrokes re-render only this.
 */
export function CostSync() {
  const { path, content, savedContent, session } = useEditorStore(
    useShallow((s) => ({
      path: s.path,
      content: s.content,
      savedContent: s.savedContent,
      session: s.session,
    })),
  );
  const { open, tab } = useCostPanelStore(useShallow((s) => ({ open: s.open, tab: s.tab })));
  const ids = useModelSelectionStore((s) => s.ids);
  const catalog = useTokensStore((s) => s.models);
  const catalogVersion = useCatalogStore((s) => s.version);
  const workload = useWorkloadStore((s) => s.workload);
  const cache = useCacheStore(
    useShallow((s) => ({
      model: s.model,
      hitRate: s.hitRate,
      ttl: s.ttl,
      outputTokens: s.outputTokens,
      baseline: s.baseline,
    })),
  );
  const compareText = useProjectionStore((s) => s.compareText);
  const root = useWorkspaceStore((s) => s.workspace?.root ?? null);

  // The cost table prices the prompt for the model comparison; side costs belong to the projection.
  const costWorkload = useMemo(
    () => ({
      requestsPerDay: workload.requestsPerDay,
      days: 30,
      outputTokens: workload.outputTokens,
      cacheHitRate: workload.cacheHitRate,
      batchShare: workload.batchShare,
      ttl: workload.ttl,
    }),
    [workload],
  );

  useEffect(() => {
    useCostStore.getState().clear();
    useCacheStore.getState().clear();
    useProjectionStore.getState().clear();
  }, [path]);

  useEffect(() => {
    void useProjectionStore.getState().setCompare(null);
  }, [root]);

  // Edits are measured against the text on disk (a save starts a new burst).
  useEffect(() => {
    useCacheStore.getState().setBaseline(path === null ? null : savedContent);
  }, [path, session, savedContent]);

  // The Cache tab analyses one of the compared models; prefer one that caches at all.
  useEffect(() => {
    if (cache.model !== null && ids.includes(cache.model)) return;
    const caches = (id: string) => catalog.find((m) => m.id === id)?.caching !== 'none';
    useCacheStore.getState().setModel(ids.find(caches) ?? ids[0] ?? null);
  }, [ids, catalog, cache.model]);

  // A changed catalog (a price override, an import) prices the same text again. This runs before the
  // effects below, which depend on the version too and so send their requests again at once.
  useEffect(() => {
    if (catalogVersion === 0) return;
    useCostStore.getState().forgetLastRequest();
    useCacheStore.getState().forgetLastRequest();
    useProjectionStore.getState().forgetLastRequest();
  }, [catalogVersion]);

  useEffect(() => {
    if (path === null || ids.length === 0) return useCostStore.getState().clear();
    if (!open || tab !== 'cost') return;
    useCostStore.getState().schedule({ text: content, models: ids, workload: costWorkload });
  }, [path, content, ids, costWorkload, open, tab, catalogVersion]);

  useEffect(() => {
    const store = useCacheStore.getState();
    if (path === null || cache.model === null) return store.clear();
    const visible = open && tab === 'cache';
    const edited = cache.baseline !== null && content !== cache.baseline;
    if (!visible && !edited) {
      if (store.invalidated || store.pending) store.clear();
      return;
    }
    // With the tab hidden only edits ask (the invalidation check): even the first waits for a pause in
    // typing, since it uploads the text twice (with its baseline).
    store.schedule(
      {
        text: content,
        model: cache.model,
        hitRate: cache.hitRate,
        ttl: cache.ttl,
        outputTokens: cache.outputTokens,
        ...(edited ? { previousText: cache.baseline! } : {}),
      },
      { typing: !visible },
    );
  }, [path, content, open, tab, cache, catalogVersion]);

  useEffect(() => {
    if (path === null || ids.length === 0) return useProjectionStore.getState().clear();
    if (!open || tab !== 'projection') return;
    useProjectionStore.getState().schedule({
      models: ids,
      original: { text: content },
      ...(compareText !== null ? { compressed: { text: compareText } } : {}),
      workload,
    });
  }, [path, content, ids, workload, compareText, open, tab, catalogVersion]);

  return null;
}
