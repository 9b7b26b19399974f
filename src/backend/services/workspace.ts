import { promises as fs, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { PROMPT_EXTENSIONS, type Workspace, type WorkspaceFile } from '../../shared/contract';
import { fsError } from './textFiles';

export const MAX_LISTED_FILES = 5000;
const MAX_DEPTH = 8;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '__pycache__']);

export function isPromptFile(name: string): boolean {
  const lower = name.toLowerCase();
  return PROMPT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * Lists prompt files (or the files `match` accepts) below `root`, breadth-first, skipping hidden and build
 * folders, up to a limit.
 */
export async function listPromptFiles(
  root: string,
  match: (name: string) => boolean = isPromptFile,
): Promise<{ files: WorkspaceFile[]; truncated: boolean }> {
  const files: WorkspaceFile[] = [];
  const queue: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  while (queue.length > 0) {
    const { dir, depth } = queue.shift()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // an unreadable subfolder is skipped, not fatal
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && depth < MAX_DEPTH) queue.push({ dir: abs, depth: depth + 1 });
      } else if (entry.isFile() && match(entry.name)) {
        if (files.length >= MAX_LISTED_FILES) return { files, truncated: true };
        const stat = await fs.stat(abs).catch(() => undefined);
        if (!stat) continue;
        files.push({ path: toPosix(path.relative(root, abs)), size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, truncated: false };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Resolves a workspace-relative path to an absolute one, refusing anything that escapes the root (`..`,
 * absolute paths, or a symlink pointing outside).
 */
export async function resolveInside(root: string, rel: string): Promise<string> {
  if (path.isAbsolute(rel) || rel.includes('\0')) {
    throw new AppError('PATH_OUTSIDE_WORKSPACE', `${rel} is not a path inside the workspace.`, { path: rel });
  }
  const abs = path.resolve(root, rel);
  const inside = (p: string, base: string) => p === base || p.startsWith(base + path.sep);
  if (!inside(abs, root)) {
    throw new AppError('PATH_OUTSIDE_WORKSPACE', `${rel} is outside the workspace.`, { path: rel });
  }
  const realRoot = await fs.realpath(root).catch(() => root);
  const real = await fs.realpath(abs).catch(() => undefined);
  if (real !== undefined && !inside(real, realRoot)) {
    throw new AppError('PATH_OUTSIDE_WORKSPACE', `${rel} links to a place outside the workspace.`, {
      path: rel,
    });
  }
  return abs;
}

/** Checks that `dir` is an existing folder and returns its absolute, normalised path. */
export async function checkFolder(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch (err) {
    throw fsError(err, dir);
  }
  if (!stat.isDirectory()) {
    throw new AppError('NOT_A_DIRECTORY', `${dir} is a file; open the folder that contains it.`, {
      path: dir,
    });
  }
  return abs;
}

export async function describeWorkspace(root: string): Promise<Workspace> {
  const { files, truncated } = await listPromptFiles(root);
  return { root, name: path.basename(root) || root, files, truncated };
}

/**
 * Watches a workspace folder and reports changed paths in batches. Recursive watching is native on macOS and
 * Windows and supported by Node 20 on Linux; where it fails the app still works, it just learns of outside
 * changes on save (hash check) instead of at once.
 */
export function watchWorkspace(root: string, onChange: (paths: string[]) => void, delayMs = 150): () => void {
  let watcher: FSWatcher | undefined;
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, filename) => {
      if (!filename) return;
      const rel = toPosix(filename.toString());
      if (rel.split('/').some((part) => part.startsWith('.'))) return; // temp files of atomic writes
      pending.add(rel);
      if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          const paths = [...pending];
          pending.clear();
          onChange(paths);
        }, delayMs);
      }
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
