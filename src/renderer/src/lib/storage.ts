/**
 * Small UI preferences kept in the renderer's localStorage (the model list of the cost panel, the workload,
 * the panel's layout). Settings that the backend owns stay in the settings routes; these never reach it.
 */
export const STORAGE_KEYS = {
  costModels: 'promptpress.cost.models',
  workload: 'promptpress.cost.workload',
  costPanel: 'promptpress.cost.panel',
  layout: 'promptpress.layout',
  session: 'promptpress.session',
} as const;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the host
  }
}

/** Reads a JSON value; a missing, unreadable or malformed entry reads as undefined. */
export function readStored(key: string): unknown {
  const raw = storage()?.getItem(key);
  if (raw === null || raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes a JSON value; a full or disabled storage is ignored (the preference just is not kept). */
export function writeStored(key: string, value: unknown): void {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // quota exceeded or storage disabled
  }
}
