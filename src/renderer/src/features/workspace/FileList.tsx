import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { WorkspaceFile } from '../../../../shared/contract';
import { openPromptFile as openFile } from '../../app/historyActions';
import { Icon } from '../../components/Icon';
import { formatBytes } from '../../lib/format';
import { useBenchStore } from '../../stores/bench';
import { useEditorStore } from '../../stores/editor';
import { useHistoryStore } from '../../stores/history';

interface Group {
  dir: string;
  files: WorkspaceFile[];
}

function groupByFolder(files: WorkspaceFile[]): Group[] {
  const groups = new Map<string, WorkspaceFile[]>();
  for (const file of files) {
    const slash = file.path.lastIndexOf('/');
    const dir = slash === -1 ? '' : file.path.slice(0, slash);
    const list = groups.get(dir) ?? [];
    list.push(file);
    groups.set(dir, list);
  }
  return [...groups].map(([dir, list]) => ({ dir, files: list }));
}

/** The workspace's prompt files, grouped by folder; arrow keys move, Enter opens. */
export function FileList({ files }: { files: WorkspaceFile[] }) {
  const activePath = useEditorStore((s) => s.path);
  // behind a Benchmarks screen or the History view no prompt is the one shown
  const benchOpen = useBenchStore((s) => s.screen !== null);
  const historyOpen = useHistoryStore((s) => s.open);
  const dirty = useEditorStore((s) => s.dirty);
  const groups = useMemo(() => groupByFolder(files), [files]);
  const ordered = useMemo(() => groups.flatMap((g) => g.files), [groups]);
  const [focusPath, setFocusPath] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const tabStop =
    ordered.find((f) => f.path === focusPath)?.path ??
    ordered.find((f) => f.path === activePath)?.path ??
    ordered[0]?.path;

  const focusItem = (path: string) => {
    setFocusPath(path);
    listRef.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = ordered.findIndex((f) => f.path === (focusPath ?? tabStop));
    const move = (to: number) => {
      const target = ordered[Math.max(0, Math.min(ordered.length - 1, to))];
      if (target) focusItem(target.path);
    };
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(ordered.length - 1);
        break;
      case 'Enter':
      case ' ': {
        const target = ordered[index];
        if (target) void openFile(target.path);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  if (files.length === 0) {
    return <p className="sidebar-empty">No prompt files (.md, .txt, .prompt) in this folder yet.</p>;
  }

  return (
    <div className="file-list" role="listbox" aria-label="Prompt files" ref={listRef} onKeyDown={onKeyDown}>
      {groups.map((group) => (
        <div role="group" aria-label={group.dir || 'Workspace root'} key={group.dir}>
          {group.dir && (
            <div className="file-group-label" aria-hidden="true">
              {group.dir}
            </div>
          )}
          {group.files.map((file) => {
            const active = file.path === activePath && !benchOpen && !historyOpen;
            const name = file.path.slice(file.path.lastIndexOf('/') + 1);
            return (
              <div
                key={file.path}
                role="option"
                aria-selected={active}
                tabIndex={file.path === tabStop ? 0 : -1}
                className={active ? 'file-item active' : 'file-item'}
                data-testid="file-item"
                data-path={file.path}
                title={file.path}
                onClick={() => {
                  setFocusPath(file.path);
                  void openFile(file.path);
                }}
                onFocus={() => setFocusPath(file.path)}
              >
                <Icon name="file" className="file-icon" />
                <span className="file-name">{name}</span>
                {active && dirty && <span className="dirty-dot" aria-label="unsaved changes" role="img" />}
                <span className="file-size">{formatBytes(file.size)}</span>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
