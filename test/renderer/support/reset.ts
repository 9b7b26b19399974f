import { cleanup } from '@testing-library/react';
import { useCacheStore } from '../../../src/renderer/src/stores/cacheWhatIf';
import { useCatalogStore } from '../../../src/renderer/src/stores/catalog';
import { useCostPanelStore } from '../../../src/renderer/src/stores/costPanel';
import { useCostStore } from '../../../src/renderer/src/stores/costs';
import { useDialogStore } from '../../../src/renderer/src/stores/dialog';
import { useEditorStore } from '../../../src/renderer/src/stores/editor';
import { resetTabs } from '../../../src/renderer/src/app/tabs';
import { useLayoutStore } from '../../../src/renderer/src/stores/layout';
import { useJobsStore } from '../../../src/renderer/src/stores/jobs';
import { useModelSelectionStore } from '../../../src/renderer/src/stores/modelSelection';
import { useNoticesStore } from '../../../src/renderer/src/stores/notices';
import { useProjectionStore } from '../../../src/renderer/src/stores/projection';
import { useProvidersStore } from '../../../src/renderer/src/stores/providers';
import { useTokensStore } from '../../../src/renderer/src/stores/tokens';
import { useWorkloadStore } from '../../../src/renderer/src/stores/workload';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspace';
import { setTransport } from '../../../src/renderer/src/transport';

/** Unmounts what a test rendered and puts every store, the transport and localStorage back to their start. */
export function resetApp(): void {
  cleanup();
  useDialogStore.getState().reset();
  useEditorStore.getState().reset();
  useNoticesStore.getState().reset();
  useTokensStore.getState().reset();
  useWorkspaceStore.getState().reset();
  useCostPanelStore.getState().reset();
  useModelSelectionStore.getState().reset();
  useWorkloadStore.getState().reset();
  useCostStore.getState().reset();
  useCacheStore.getState().reset();
  useProjectionStore.getState().reset();
  useCatalogStore.getState().reset();
  useProvidersStore.getState().reset();
  useJobsStore.getState().reset();
  useLayoutStore.getState().reset();
  resetTabs();
  localStorage.clear();
  setTransport(undefined);
}
