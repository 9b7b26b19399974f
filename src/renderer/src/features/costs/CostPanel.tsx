import { useId, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { Icon } from '../../components/Icon';
import { COST_TABS, PANEL_WIDTH, useCostPanelStore, type CostTab } from '../../stores/costPanel';
import { CacheTab } from './CacheTab';
import { CostTab as CostTabView } from './CostTab';
import { ProjectionTab } from './ProjectionTab';

const TAB_LABELS: Record<CostTab, string> = { cost: 'Cost', cache: 'Cache', projection: 'Projection' };
const RESIZE_STEP = 24;

/** The drag handle between editor and panel; arrow keys resize it too. */
function Splitter() {
  const width = useCostPanelStore((s) => s.width);
  const setWidth = useCostPanelStore((s) => s.setWidth);
  const drag = useRef<{ x: number; width: number } | null>(null);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { x: event.clientX, width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current) setWidth(drag.current.width - (event.clientX - drag.current.x));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next =
      event.key === 'ArrowLeft'
        ? width + RESIZE_STEP
        : event.key === 'ArrowRight'
          ? width - RESIZE_STEP
          : event.key === 'Home'
            ? PANEL_WIDTH.max
            : event.key === 'End'
              ? PANEL_WIDTH.min
              : null;
    if (next === null) return;
    event.preventDefault();
    setWidth(next);
  };

  return (
    <div
      className="panel-splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the cost panel"
      aria-valuenow={width}
      aria-valuemin={PANEL_WIDTH.min}
      aria-valuemax={PANEL_WIDTH.max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => setWidth(PANEL_WIDTH.default)}
      onKeyDown={onKeyDown}
      title="Drag to resize · double-click to reset"
    />
  );
}

/** The cost panel to the right of the editor: the model comparison, the prompt-cache what-if, the projection. */
export function CostPanel() {
  const open = useCostPanelStore((s) => s.open);
  const tab = useCostPanelStore((s) => s.tab);
  const width = useCostPanelStore((s) => s.width);
  const setTab = useCostPanelStore((s) => s.setTab);
  const setOpen = useCostPanelStore((s) => s.setOpen);
  const baseId = useId();
  const tablistRef = useRef<HTMLDivElement>(null);

  if (!open) return null;

  const tabId = (t: CostTab) => `${baseId}-tab-${t}`;
  const panelId = (t: CostTab) => `${baseId}-panel-${t}`;

  const onTabKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = COST_TABS.indexOf(tab);
    const to =
      event.key === 'ArrowRight'
        ? (index + 1) % COST_TABS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + COST_TABS.length) % COST_TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? COST_TABS.length - 1
              : null;
    if (to === null) return;
    event.preventDefault();
    const next = COST_TABS[to]!;
    setTab(next);
    tablistRef.current?.querySelector<HTMLElement>(`#${CSS.escape(tabId(next))}`)?.focus();
  };

  return (
    <>
      <Splitter />
      <aside
        className="cost-panel"
        aria-label="Cost panel"
        data-testid="cost-panel"
        style={{ width }}
        id="cost-panel"
      >
        <div className="panel-header">
          <div
            className="panel-tabs"
            role="tablist"
            aria-label="Cost views"
            ref={tablistRef}
            onKeyDown={onTabKeyDown}
          >
            {COST_TABS.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={tabId(t)}
                aria-selected={t === tab}
                aria-controls={panelId(t)}
                tabIndex={t === tab ? 0 : -1}
                className={t === tab ? 'panel-tab active' : 'panel-tab'}
                data-testid={`cost-tab-${t}`}
                onClick={() => setTab(t)}
              >
                {TAB_LABELS[t]}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="button icon-button panel-close"
            aria-label="Hide the cost panel"
            title="Hide the cost panel"
            aria-controls="cost-panel"
            aria-expanded="true"
            onClick={() => setOpen(false)}
          >
            <Icon name="collapse" />
          </button>
        </div>
        <div
          className="panel-body"
          role="tabpanel"
          id={panelId(tab)}
          aria-labelledby={tabId(tab)}
          tabIndex={-1}
        >
          {tab === 'cost' && <CostTabView />}
          {tab === 'cache' && <CacheTab />}
          {tab === 'projection' && <ProjectionTab />}
        </div>
      </aside>
    </>
  );
}
