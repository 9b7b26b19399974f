import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { openWorkspace, pickAndOpenFolder } from '../../app/actions';
import { Icon } from '../../components/Icon';
import { useWorkspaceStore } from '../../stores/workspace';
import { RecentMenu } from './RecentMenu';

/**
 * "Open folder…": the native picker where the host has one (desktop), otherwise an inline path field
 * (browser host), since a web page cannot learn a folder's path from the browser's picker.
 */
export function OpenFolder() {
  const native = useWorkspaceStore((s) => s.info?.nativeDialogs ?? false);
  const loading = useWorkspaceStore((s) => s.loading);
  const [typing, setTyping] = useState(false);
  const [path, setPath] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();

  useEffect(() => {
    if (typing) inputRef.current?.focus();
  }, [typing]);

  const onOpenClick = () => {
    if (native) void pickAndOpenFolder();
    else setTyping((t) => !t);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = path.trim();
    if (!trimmed) return;
    if (await openWorkspace(trimmed)) {
      setTyping(false);
      setPath('');
    }
  };

  return (
    <div className="open-folder">
      <div className="open-folder-row">
        <button
          type="button"
          className="button button-secondary grow"
          onClick={onOpenClick}
          aria-expanded={native ? undefined : typing}
          disabled={loading}
        >
          <Icon name="folder" />
          Open folder…
        </button>
        <RecentMenu />
      </div>
      {typing && (
        <form className="path-form" onSubmit={(e) => void onSubmit(e)}>
          <label htmlFor={inputId} className="path-label">
            Folder path
          </label>
          <input
            id={inputId}
            ref={inputRef}
            className="input"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/home/me/prompts"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setTyping(false);
              }
            }}
          />
          <span className="path-hint">Enter to open · Esc to cancel</span>
        </form>
      )}
    </div>
  );
}
