import { create } from 'zustand';
import type { AppInfo, RecentWorkspace, Workspace } from '../../../shared/contract';

interface WorkspaceState {
  info: AppInfo | null;
  workspace: Workspace | null;
  recent: RecentWorkspace[];
  /** True while a workspace is being opened or the first one loaded. */
  loading: boolean;
  setInfo(info: AppInfo): void;
  setWorkspace(workspace: Workspace | null): void;
  setRecent(recent: RecentWorkspace[]): void;
  setLoading(loading: boolean): void;
  reset(): void;
}

const initial = { info: null, workspace: null, recent: [], loading: false };

/** The open workspace folder, its prompt files and the recently opened folders (cached from the backend). */
export const useWorkspaceStore = create<WorkspaceState>()((set) => ({
  ...initial,
  setInfo: (info) => set({ info }),
  setWorkspace: (workspace) => set({ workspace }),
  setRecent: (recent) => set({ recent }),
  setLoading: (loading) => set({ loading }),
  reset: () => set(initial),
}));
