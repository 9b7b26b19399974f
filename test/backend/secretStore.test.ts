import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEncryptedSecretStore,
  createSessionSecretStore,
  KEYS_FILE,
} from '../../src/backend/secrets/secretStore';
import { createFakeSafeStorage } from '../support/fakeSafeStorage';

const KEY = 'sk-secret-store-test-000000000000-4e4e';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pp-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SecretStore', () => {
  it('session: memory only, forgotten on delete', async () => {
    const s = createSessionSecretStore();
    expect(s.persistence()).toBe('session');
    expect(await s.set('groq', KEY)).toBe('session');
    expect(s.get('groq')).toEqual({ key: KEY, source: 'session' });
    await s.delete('groq');
    expect(s.get('groq')).toBeUndefined();
  });

  it('encrypted: survives a restart, deletes from disk, never writes the plaintext', async () => {
    const safe = createFakeSafeStorage();
    const s = createEncryptedSecretStore(dir, safe);
    await Promise.all([s.set('a', KEY), s.set('b', `${KEY}-b`)]);
    const again = createEncryptedSecretStore(dir, safe);
    expect(again.get('a')).toEqual({ key: KEY, source: 'stored' });
    expect(again.get('b')).toEqual({ key: `${KEY}-b`, source: 'stored' });
    await again.delete('a');
    const raw = await readFile(path.join(dir, KEYS_FILE), 'utf8');
    expect(Object.keys(JSON.parse(raw).keys)).toEqual(['b']);
    expect(raw).not.toContain(KEY);
    expect(createEncryptedSecretStore(dir, safe).get('a')).toBeUndefined();
  });

  it('a file that does not parse is moved aside, not read and not lost', async () => {
    await writeFile(path.join(dir, KEYS_FILE), '{ not json');
    const s = createEncryptedSecretStore(dir, createFakeSafeStorage());
    expect(s.get('a')).toBeUndefined();
    await expect
      .poll(async () => (await readdir(dir)).some((f) => f.startsWith(`${KEYS_FILE}.corrupt-`)))
      .toBe(true);
  });

  it('when safeStorage reports an error on isAvailable, keys stay in memory', async () => {
    const safe = createFakeSafeStorage();
    safe.isAvailable = () => {
      throw new Error('not ready');
    };
    const s = createEncryptedSecretStore(dir, safe);
    expect(s.persistence()).toBe('session');
    expect(await s.set('a', KEY)).toBe('session');
    expect(await readdir(dir)).toEqual([]);
  });
});
