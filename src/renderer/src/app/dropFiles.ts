/**
 * Files dropped on the window join the workspace: each is copied into the folder of its kind (the backend
 * decides, never over an existing file) and the first one opens on its screen.
 */
import type { RouteOutput } from '../../../shared/contract';
import { formatBytes } from '../lib/format';
import { useNoticesStore } from '../stores/notices';
import { useWorkspaceStore } from '../stores/workspace';
import { api, toErrorPayload } from '../transport';
import { openBench, openGolden, listBenchFiles } from './benchActions';
import { listHistoryFiles, openHistory, openPolicyFile, openPromptFile } from './historyActions';

/** The backend refuses larger files; checked here first so a huge file is not read into memory. */
export const MAX_DROP_BYTES = 32 * 1024 * 1024;

type Imported = RouteOutput<'workspace.importFile'>;

/** Base64 of bytes, in chunks (String.fromCharCode on a whole large file overflows the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** The minimal file surface used (a DOM File, or a test's stand-in). */
export interface DroppedFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

async function openImported(item: Imported): Promise<void> {
  switch (item.kind) {
    case 'prompt':
      await openPromptFile(item.path);
      return;
    case 'bench':
      await openBench(item.path);
      return;
    case 'golden':
      await openGolden(item.path);
      return;
    case 'history':
      await openHistory(item.path);
      return;
    case 'policy':
      await openPolicyFile(item.path);
      return;
    case 'pipeline':
      return; // chosen in the Compress view's pipeline menu
  }
}

/** Adds the dropped files; returns what was added. Each refused file gets its own coded notice. */
export async function dropFiles(files: readonly DroppedFile[]): Promise<Imported[]> {
  const notices = useNoticesStore.getState();
  if (!useWorkspaceStore.getState().workspace) {
    notices.push({
      kind: 'error',
      code: 'NO_WORKSPACE',
      message: 'Open a workspace folder first, then drop files on it.',
    });
    return [];
  }
  const added: Imported[] = [];
  for (const file of files) {
    if (file.size > MAX_DROP_BYTES) {
      notices.push({
        kind: 'error',
        code: 'FILE_TOO_LARGE',
        message: `${file.name} is ${formatBytes(file.size)}; files up to ${formatBytes(MAX_DROP_BYTES)} can be added.`,
      });
      continue;
    }
    try {
      const data = toBase64(new Uint8Array(await file.arrayBuffer()));
      added.push(await api.call('workspace.importFile', { name: file.name, data }));
    } catch (err) {
      notices.pushError(toErrorPayload(err));
    }
  }
  if (added.length === 0) return added;
  try {
    useWorkspaceStore.getState().setWorkspace(await api.call('workspace.refresh'));
  } catch (err) {
    notices.pushError(toErrorPayload(err));
  }
  await Promise.all([listBenchFiles(), listHistoryFiles()]);
  const renamed = added.filter((a) => a.renamed);
  notices.push({
    kind: 'info',
    message: `Added to the workspace: ${added.map((a) => a.path).join(', ')}${
      renamed.length
        ? ` (a file of the same name existed, so ${renamed.length === 1 ? 'it was' : 'they were'} numbered)`
        : ''
    }.`,
    key: 'dropped-files',
    timeoutMs: 8000,
  });
  await openImported(added[0]!);
  return added;
}
