import { useEffect, type MouseEvent } from 'react';
import { activateTab, activeItem, closeTab, watchTabs } from '../../app/tabs';
import { Icon, type IconName } from '../../components/Icon';
import { useBenchStore } from '../../stores/bench';
import { useEditorStore } from '../../stores/editor';
import { useGoldenStore } from '../../stores/golden';
import { useHistoryStore } from '../../stores/history';
import { itemKey, useTabsStore, type OpenItem, type OpenItemKind } from '../../stores/tabs';

const KIND_ICON: Record<OpenItemKind, IconName> = {
  prompt: 'file',
  bench: 'bench',
  golden: 'table',
  history: 'history',
};
const KIND_LABEL: Record<OpenItemKind, string> = {
  prompt: 'Prompt',
  bench: 'Benchmark',
  golden: 'Golden set',
  history: 'History',
};

/** The key of the item shown now (app/tabs.ts activeItem), re-read whenever a store it reads changes. */
function useActiveKey(): string | null {
  useHistoryStore((s) => s.open);
  useHistoryStore((s) => s.path);
  useBenchStore((s) => s.screen);
  useEditorStore((s) => s.path);
  const active = activeItem();
  return active ? itemKey(active) : null;
}

function useDirty(item: OpenItem, active: boolean): boolean {
  const editorDirty = useEditorStore((s) => s.path === item.path && s.dirty);
  const bufferDirty = useTabsStore((s) => s.buffers[item.path]?.dirty ?? false);
  const goldenDirty = useGoldenStore((s) => s.path === item.path && s.dirty);
  if (item.kind === 'prompt') return editorDirty || (!active && bufferDirty);
  if (item.kind === 'golden') return goldenDirty;
  return false;
}

function Tab({ item, active }: { item: OpenItem; active: boolean }) {
  const dirty = useDirty(item, active);
  const name = item.path.slice(item.path.lastIndexOf('/') + 1);
  const onAuxClick = (e: MouseEvent) => {
    if (e.button === 1) {
      e.preventDefault();
      void closeTab(item);
    }
  };
  return (
    <li
      className={active ? 'open-tab active' : 'open-tab'}
      data-testid="open-tab"
      data-kind={item.kind}
      data-path={item.path}
      data-active={active}
      onAuxClick={onAuxClick}
    >
      <button
        type="button"
        className="open-tab-main"
        aria-current={active ? 'page' : undefined}
        title={`${KIND_LABEL[item.kind]} · ${item.path}${dirty ? ' (unsaved changes)' : ''}`}
        onClick={() => void activateTab(item)}
      >
        <Icon name={KIND_ICON[item.kind]} className="open-tab-icon" />
        <span
          className="open-tab-name"
          data-testid={active && item.kind === 'prompt' ? 'editor-title' : undefined}
        >
          {name}
        </span>
        {dirty && (
          <span
            className="dirty-dot"
            role="img"
            aria-label="unsaved changes"
            data-testid={active ? 'dirty-indicator' : 'tab-dirty'}
          />
        )}
      </button>
      <button
        type="button"
        className="open-tab-close"
        aria-label={`Close tab ${name}`}
        title="Close (middle-click)"
        onClick={() => void closeTab(item)}
        data-testid="tab-close"
      >
        <Icon name="close" />
      </button>
    </li>
  );
}

/**
 * The tabs of everything open in the main area — prompts, benchmarks, golden sets, histories — in the order
 * they were opened. A prompt in a background tab keeps its unsaved edits; closing one asks first.
 */
export function TabStrip() {
  const items = useTabsStore((s) => s.items);
  const activeKey = useActiveKey();
  useEffect(() => watchTabs(), []);
  if (items.length === 0) return null;
  return (
    <nav className="open-tabs" aria-label="Open items">
      <ul>
        {items.map((item) => (
          <Tab key={itemKey(item)} item={item} active={itemKey(item) === activeKey} />
        ))}
      </ul>
    </nav>
  );
}
