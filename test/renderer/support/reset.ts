import { cleanup } from '@testing-library/react';
import { useDialogStore } from '../../../src/renderer/src/stores/dialog';
import { useEditorStore } from '../../../src/renderer/src/stores/editor';
import { useNoticesStore } from '../../../src/renderer/src/stores/notices';
import { useTokensStore } from '../../../src/renderer/src/stores/tokens';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspace';
import { setTransport } from '../../../src/renderer/src/transport';

/** Unmounts what a test rendered and puts every store and the transport back to their start. */
export function resetApp(): void {
  cleanup();
  useDialogStore.getState().reset();
  useEditorStore.getState().reset();
  useNoticesStore.getState().reset();
  useTokensStore.getState().reset();
  useWorkspaceStore.getState().reset();
  setTransport(undefined);
}
