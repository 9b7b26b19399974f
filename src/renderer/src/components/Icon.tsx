/** A few 16px line icons, inline so the CSP needs no remote fonts or images. */
const PATHS = {
  folder: 'M1.75 3.5h4l1.5 1.5h7v7.75a.75.75 0 0 1-.75.75H2.5a.75.75 0 0 1-.75-.75z',
  file: 'M4 1.75h5l3.25 3.25v9.25H4zM9 1.75V5h3.25',
  history: 'M2.75 8a5.25 5.25 0 1 0 1.55-3.7M2.6 2.4v2.45h2.45M8 5.25V8l1.9 1.2',
  chevron: 'M4.5 6l3.5 3.5L11.5 6',
  close: 'M4.5 4.5l7 7m0-7l-7 7',
  save: 'M3 2.5h8l2 2v9H3zM5.5 2.5v3.25h4.5V2.5M5 13.5V9.5h6v4',
  panel: 'M2.5 3h11v10h-11zM9.5 3v10',
  collapse: 'M9.5 3v10M5 6l2 2-2 2M2.5 3h11v10h-11z',
  search: 'M7 2.75a4.25 4.25 0 1 0 0 8.5a4.25 4.25 0 1 0 0-8.5zM10.1 10.1l3.15 3.15',
  warning: 'M8 2.75l5.75 10H2.25zM8 6.5v2.75M8 11v.25',
  locate: 'M2.5 8h3M10.5 8h3M8 2.5v3M8 10.5v3M8 5.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z',
  arrowRight: 'M3 8h10M9.5 4.5L13 8l-3.5 3.5',
  settings: 'M2.5 4.5h5.5M11.5 4.5h2M2.5 11.5h2M8 11.5h5.5M9.75 2.75v3.5M6.25 9.75v3.5',
  plus: 'M8 3.25v9.5M3.25 8h9.5',
  import: 'M8 2.5v7.25M5 6.75l3 3 3-3M2.75 10.75v2.5h10.5v-2.5',
  external: 'M9.5 2.75h3.75V6.5M13.25 2.75L8 8M11.5 9.25v4h-8.75V4.5h4',
  compress: 'M8 1.75v4.5M5.75 4l2.25 2.25L10.25 4M8 14.25v-4.5M5.75 12l2.25-2.25L10.25 12M2.5 8h11',
  up: 'M4.5 10l3.5-3.5 3.5 3.5',
  down: 'M4.5 6l3.5 3.5 3.5-3.5',
  shield: 'M8 1.75l5 2v4c0 3-2.2 5.2-5 6.5-2.8-1.3-5-3.5-5-6.5v-4z',
  undo: 'M5.5 3.5L2.75 6.25 5.5 9M3 6.25h6.5a3.75 3.75 0 0 1 0 7.5H7',
  key: 'M5.5 7.75a2.75 2.75 0 1 0 0 5.5a2.75 2.75 0 1 0 0-5.5zM7.45 8.55l5.8-5.8M11.25 4.75l1.5 1.5M9.5 6.5l1.25 1.25',
  bench: 'M2.5 13.5h11M4 13.5V9M7 13.5V5.5M10 13.5V7.5M13 13.5V3',
  table: 'M2.5 3h11v10h-11zM2.5 6.25h11M2.5 9.5h11M6.5 3v10',
  play: 'M5 3.25l7.5 4.75L5 12.75z',
  stop: 'M4.25 4.25h7.5v7.5h-7.5z',
  resume: 'M3 8a5 5 0 1 0 1.5-3.55M3 2.75v2.5h2.5',
  check: 'M3.5 8.5l3 3 6-7',
  compare: 'M5 2.75v10.5M11 2.75v10.5M2.5 5.5H5M11 10.5h2.5M7.5 8h1',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
