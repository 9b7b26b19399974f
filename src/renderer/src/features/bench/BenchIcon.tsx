/** The Benchmarks screens' own 16px line icons (same drawing rules as components/Icon). */
const PATHS = {
  bench: 'M2.5 13.5h11M4 13.5V9M7 13.5V5.5M10 13.5V7.5M13 13.5V3',
  table: 'M2.5 3h11v10h-11zM2.5 6.25h11M2.5 9.5h11M6.5 3v10',
  play: 'M5 3.25l7.5 4.75L5 12.75z',
  stop: 'M4.25 4.25h7.5v7.5h-7.5z',
  resume: 'M3 8a5 5 0 1 0 1.5-3.55M3 2.75v2.5h2.5',
  check: 'M3.5 8.5l3 3 6-7',
  cross: 'M4.5 4.5l7 7m0-7l-7 7',
  compare: 'M5 2.75v10.5M11 2.75v10.5M2.5 5.5H5M11 10.5h2.5M7.5 8h1',
} as const;

export type BenchIconName = keyof typeof PATHS;

export function BenchIcon({ name, className }: { name: BenchIconName; className?: string }) {
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
