import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { openSampleWorkspace, openWorkspace } from '../../app/actions';
import { Icon } from '../../components/Icon';
import { useWorkspaceStore } from '../../stores/workspace';

/** A menu of recently opened workspaces, plus the sample workspace. */
export function RecentMenu() {
  const recent = useWorkspaceStore((s) => s.recent);
  const currentRoot = useWorkspaceStore((s) => s.workspace?.root);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const choose = (action: () => Promise<boolean>) => {
    close(true);
    void action();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const focusAt = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(items.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className="menu-anchor">
      <button
        ref={buttonRef}
        type="button"
        className="button button-secondary icon-button"
        aria-label="Recent workspaces"
        title="Recent workspaces"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="history" />
      </button>
      {open && (
        <div
          className="menu"
          role="menu"
          id={menuId}
          aria-label="Recent workspaces"
          ref={menuRef}
          onKeyDown={onKeyDown}
        >
          <div className="menu-heading" aria-hidden="true">
            Recent
          </div>
          {recent.length === 0 && <div className="menu-empty">No recent workspaces yet</div>}
          {recent.map((item) => (
            <button
              key={item.root}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              title={item.root}
              onClick={() => choose(() => openWorkspace(item.root))}
            >
              <span className="menu-item-name">
                {item.name}
                {item.root === currentRoot && <span className="menu-item-badge">open</span>}
              </span>
              <span className="menu-item-detail">{item.root}</span>
            </button>
          ))}
          <div className="menu-separator" role="separator" />
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-item"
            onClick={() => choose(openSampleWorkspace)}
          >
            <span className="menu-item-name">Open the sample workspace</span>
          </button>
        </div>
      )}
    </div>
  );
}
