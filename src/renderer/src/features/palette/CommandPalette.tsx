import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { trapTab } from '../../components/focusTrap';
import '../../styles/palette.css';
import { buildCommands, type Command } from './commands';
import { fuzzyFilter } from './fuzzy';
import { usePaletteStore } from './paletteStore';

/** Ctrl+K / ⌘K anywhere (Monaco included, since the listener runs in the capture phase) toggles the palette. */
function usePaletteShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (
        (event.ctrlKey || event.metaKey) &&
        !event.altKey &&
        !event.shiftKey &&
        event.key.toLowerCase() === 'k'
      ) {
        event.preventDefault();
        event.stopPropagation();
        usePaletteStore.getState().toggle();
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}

const searchText = (c: Command) => `${c.title} ${c.group} ${c.detail ?? ''}`;

function PaletteDialog({ onClose }: { onClose(): void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const dialogRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const baseId = useId();
  const listId = `${baseId}-list`;
  const titleId = `${baseId}-title`;
  // the commands as the app is when the palette opens
  const commands = useMemo(() => buildCommands(), []);
  const shown = useMemo(() => fuzzyFilter(commands, query, searchText), [commands, query]);
  const current = Math.min(active, Math.max(shown.length - 1, 0));
  const optionId = (i: number) => `${baseId}-opt-${i}`;

  // read while rendering, before the input takes focus: where focus goes back to on close
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    inputRef.current?.focus();
    return () => {
      if (returnTo?.isConnected) returnTo.focus?.();
    };
  }, [returnTo]);

  useEffect(() => {
    listRef.current?.children[current]?.scrollIntoView?.({ block: 'nearest' });
  }, [current, shown]);

  const runCommand = (command: Command | undefined) => {
    if (!command || command.disabled) return;
    onClose();
    // after the palette has given focus back, so the command's own dialog can take it
    setTimeout(() => void command.run(), 0);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        onClose();
        return;
      case 'ArrowDown':
        setActive(shown.length === 0 ? 0 : (current + 1) % shown.length);
        break;
      case 'ArrowUp':
        setActive(shown.length === 0 ? 0 : (current - 1 + shown.length) % shown.length);
        break;
      case 'PageDown':
        setActive(Math.min(shown.length - 1, current + 8));
        break;
      case 'PageUp':
        setActive(Math.max(0, current - 8));
        break;
      case 'Enter':
        runCommand(shown[current]);
        break;
      case 'Tab':
        trapTab(event, dialogRef.current);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      className="modal-backdrop palette-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="command-palette"
        ref={dialogRef}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="visually-hidden palette-title">
          Command palette
        </h2>
        <input
          ref={inputRef}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown.length > 0 ? optionId(current) : undefined}
          aria-label="Search commands"
          placeholder="Type a command or a file name…"
          spellCheck={false}
          autoComplete="off"
          value={query}
          data-testid="palette-input"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <ul className="palette-list" role="listbox" id={listId} aria-label="Commands" ref={listRef}>
          {shown.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              aria-disabled={c.disabled ? true : undefined}
              className={`palette-item${i === current ? ' active' : ''}${c.disabled ? ' disabled' : ''}`}
              data-testid="palette-item"
              data-command={c.id}
              title={c.disabled}
              onMouseMove={() => i !== current && setActive(i)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => runCommand(c)}
            >
              <span className="palette-group">{c.group}</span>
              <span className="palette-main">
                <span className="palette-label">{c.title}</span>
                {c.detail && <span className="palette-detail">{c.detail}</span>}
                {c.disabled && <span className="palette-reason">{c.disabled}</span>}
              </span>
              {c.shortcut && <kbd className="palette-kbd">{c.shortcut}</kbd>}
            </li>
          ))}
        </ul>
        {shown.length === 0 && (
          <p className="palette-empty" role="status">
            No command matches “{query}”.
          </p>
        )}
      </div>
    </div>
  );
}

/** The command palette (Ctrl/Cmd+K): every action of the app, searchable; focus returns where it was. */
export function CommandPalette() {
  usePaletteShortcut();
  const open = usePaletteStore((s) => s.open);
  if (!open) return null;
  return <PaletteDialog onClose={() => usePaletteStore.getState().setOpen(false)} />;
}
