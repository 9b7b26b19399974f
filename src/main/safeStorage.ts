import type { SafeStorageLike } from '../backend/secrets/secretStore';

/** The part of Electron's `safeStorage` the adapter uses, so tests can pass a fake. */
export interface ElectronSafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store backs the encryption. */
  getSelectedStorageBackend?(): string;
}

/**
 * Electron's safeStorage as the backend's port. On Linux without a keyring Electron falls back to
 * `basic_text`, a key built into Chromium that anyone can use to decrypt: that counts as unavailable, so
 * the backend keeps typed keys in memory for the session instead of writing them in a readable form.
 */
export function safeStorageAdapter(
  safeStorage: ElectronSafeStorage,
  platform: NodeJS.Platform = process.platform,
): SafeStorageLike {
  return {
    isAvailable: () =>
      safeStorage.isEncryptionAvailable() &&
      !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text'),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (encrypted) => safeStorage.decryptString(Buffer.from(encrypted)),
  };
}
