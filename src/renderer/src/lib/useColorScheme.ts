import { useSyncExternalStore } from 'react';

const QUERY = '(prefers-color-scheme: dark)';

let media: MediaQueryList | null | undefined;

/**
 * One MediaQueryList for the page: React reads the snapshot on every render of a component that uses the
 * hook (the prompt editor re-renders on every keystroke), and matchMedia() parses and evaluates the query
 * anew each time it is called.
 */
function query(): MediaQueryList | null {
  if (media === undefined) media = typeof matchMedia === 'function' ? matchMedia(QUERY) : null;
  return media;
}

function subscribe(onChange: () => void): () => void {
  const list = query();
  if (!list) return () => undefined;
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

function snapshot(): 'light' | 'dark' {
  return query()?.matches ? 'dark' : 'light';
}

/** The system colour scheme, following changes live. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, snapshot, () => 'light');
}
