import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export interface SidebarItemProps {
  icon: IconName;
  name: string;
  /** Muted text after the name (its folder, a run's date and status). */
  detail?: ReactNode;
  active: boolean;
  /** aria-current when active: 'page' for what the main area shows, 'true' for a current choice. */
  current?: 'page' | 'true';
  dirty?: boolean;
  title: string;
  testId: string;
  /** data-* attributes tests and the app look items up by (data-path, data-run). */
  data: Record<`data-${string}`, string>;
  onClick(): void;
}

/** One clickable file (or run) in a sidebar group below the prompt list. */
export function SidebarItem({
  icon,
  name,
  detail,
  active,
  current = 'page',
  dirty = false,
  title,
  testId,
  data,
  onClick,
}: SidebarItemProps) {
  return (
    <button
      type="button"
      className={active ? 'bench-file active' : 'bench-file'}
      aria-current={active ? current : undefined}
      title={title}
      data-testid={testId}
      {...data}
      onClick={onClick}
    >
      <Icon name={icon} className="file-icon" />
      <span className="bench-file-name">{name}</span>
      {dirty && <span className="dirty-dot" role="img" aria-label="unsaved changes" />}
      {detail && <span className="bench-file-dir">{detail}</span>}
    </button>
  );
}
