import { describe, expect, it } from 'vitest';
import { safeStorageAdapter, type ElectronSafeStorage } from '../../src/main/safeStorage';

const fake = (available: boolean, backend = 'gnome_libsecret'): ElectronSafeStorage => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain)].reverse()),
  decryptString: (encrypted) => Buffer.from([...encrypted].reverse()).toString(),
});

describe('safeStorageAdapter', () => {
  it('passes encryption through, taking Uint8Array back as a Buffer', () => {
    const s = safeStorageAdapter(fake(true), 'linux');
    expect(s.isAvailable()).toBe(true);
    const sealed = s.encryptString('sk-key');
    expect(s.decryptString(new Uint8Array(sealed))).toBe('sk-key');
  });

  it("counts Linux's basic_text fallback (a key built into Chromium) as no encryption", () => {
    expect(safeStorageAdapter(fake(true, 'basic_text'), 'linux').isAvailable()).toBe(false);
    expect(safeStorageAdapter(fake(true, 'kwallet6'), 'linux').isAvailable()).toBe(true);
    expect(safeStorageAdapter(fake(true, 'basic_text'), 'darwin').isAvailable()).toBe(true);
    expect(safeStorageAdapter(fake(false), 'win32').isAvailable()).toBe(false);
  });
});
