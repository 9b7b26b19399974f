import { useId, useRef, type KeyboardEvent } from 'react';
import { Splitter } from '../../components/Splitter';
import { Icon } from '../../components/Icon';
import { COST_TABS, PANEL_WIDTH, useCostPanelStore, type CostTab } from '../../stores/costPanel';
import { CacheTab } from './CacheTab';
import { CostTab as CostTabView } from './CostTab';
import { ProjectionTab } from './ProjectionTab';

const TAB_LABELS: Record<CostTab, string> = { cost: 'Cost', cache: 'Cache', projection: 'Projection' };

/** The drag handle between editor and panel; arrow keys resize it too. */
function PanelSplitter() {
  const width = useCostPanelStore((s) => s.width);
  const setWidth = useCostPanelStore((s) => s.setWidth);
  return (
    <Splitter
      label="Resize the cost panel"
      value={width}
      min={PANEL_WIDTH.min}
      max={PANEL_WIDTH.max}
      defaultValue={PANEL_WIDTH.default}
      onChange={setWidth}
      pane="right"
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
      <PanelSplitter />
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
