import { Splitter } from '../../components/Splitter';
import { SIDEBAR_WIDTH, useLayoutStore } from '../../stores/layout';

/** The handle on the sidebar's right edge. */
export function SidebarSplitter() {
  const width = useLayoutStore((s) => s.sidebarWidth);
  const setWidth = useLayoutStore((s) => s.setSidebarWidth);
  return (
    <Splitter
      className="sidebar-splitter"
      label="Resize the sidebar"
      value={width}
      min={SIDEBAR_WIDTH.min}
      max={SIDEBAR_WIDTH.max}
      defaultValue={SIDEBAR_WIDTH.default}
      onChange={setWidth}
      pane="left"
    />
  );
}
