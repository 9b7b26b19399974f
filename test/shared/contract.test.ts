import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/createBackend';
import { EVENT_NAMES, ROUTE_NAMES, routes } from '../../src/shared/contract';

describe('contract', () => {
  it('names every route resource.verb and every event resource.event', () => {
    for (const name of [...ROUTE_NAMES, ...EVENT_NAMES]) expect(name).toMatch(/^[a-z]+\.[a-z][a-zA-Z]*$/);
  });

  it('has exactly one backend handler per route at run time too', async () => {
    const backend = createBackend({
      host: 'cli',
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'pp-c-')),
      watch: false,
    });
    expect(Object.keys(backend.handlers).sort()).toEqual([...ROUTE_NAMES].sort());
    backend.dispose();
  });

  it('gives every route an input and an output schema', () => {
    for (const name of ROUTE_NAMES) {
      expect(typeof routes[name].input.safeParse).toBe('function');
      expect(typeof routes[name].output.safeParse).toBe('function');
    }
  });
});
