import { readFileSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../services/textFiles';

/** Where a key handed to the app is kept: encrypted on disk (`stored`) or in memory until the app stops. */
export type KeepSource = 'stored' | 'session';

/**
 * The backend's port for API keys the user types in. Reads are synchronous so the providers are built with
 * their keys before the first request is served; writes are atomic. Keys never leave the backend: callers
 * get the key itself only to hand it to a provider, and show no more than its last four characters.
 */
export interface SecretStore {
  /** What `set` does with a key now: encrypt it at rest, or keep it for this session only. */
  persistence(): 'encrypted' | 'session';
  get(id: string): { key: string; source: KeepSource } | undefined;
  /** Keeps `key` for provider `id`, replacing any earlier one; resolves with where it went. */
  set(id: string, key: string): Promise<KeepSource>;
  /** Forgets the key of `id` wherever it was kept. */
  delete(id: string): Promise<void>;
}

/**
 * The part of Electron's `safeStorage` the desktop host hands in (src/main adapts the real one), so the
 * backend never imports Electron and tests pass a fake. Encryption is by the OS: Keychain on macOS, DPAPI
 * on Windows, the Secret Service or KWallet on Linux.
 */
export interface SafeStorageLike {
  /** False when the OS offers no real encryption (on Linux without a keyring Electron would use a fixed key). */
  isAvailable(): boolean;
  encryptString(plain: string): Uint8Array;
  decryptString(encrypted: Uint8Array): string;
}

/** Memory only: the browser host and the CLI, where keys otherwise come from the environment. */
export function createSessionSecretStore(): SecretStore {
  const keys = new Map<string, string>();
  return {
    persistence: () => 'session',
    get: (id) => {
      const key = keys.get(id);
      return key === undefined ? undefined : { key, source: 'session' };
    },
    set: async (id, key) => {
      keys.set(id, key);
      return 'session';
    },
    delete: async (id) => {
      keys.delete(id);
    },
  };
}

export const KEYS_FILE = 'provider-keys.json';

const KeysFileSchema = z.object({
  version: z.literal(1),
  /** Provider id → the bytes safeStorage produced, base64. */
  keys: z.record(z.string(), z.string()),
});

/** Reads the encrypted-keys file; one that does not parse is moved aside and nothing is read from it. */
function readKeysFile(file: string): Record<string, string> {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = KeysFileSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { ...parsed.data.keys };
  } catch {
    // not JSON: set aside below
  }
  void fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
  return {};
}

/**
 * The desktop's store: keys encrypted with `safeStorage` in `provider-keys.json` in the app data folder
 * (owner-only permissions), decrypted when first asked for. Where the OS offers no encryption, a key is kept
 * in memory for the session instead of being written in a form anyone could read back.
 */
export function createEncryptedSecretStore(dataDir: string, safeStorage: SafeStorageLike): SecretStore {
  const file = path.join(dataDir, KEYS_FILE);
  const encrypted = readKeysFile(file);
  const decrypted = new Map<string, string | null>();
  const session = createSessionSecretStore();
  let writes: Promise<void> = Promise.resolve();

  const available = () => {
    try {
      return safeStorage.isAvailable();
    } catch {
      return false;
    }
  };
  const save = () => {
    const snapshot = JSON.stringify({ version: 1, keys: encrypted }, null, 2) + '\n';
    const write = async () => {
      await fs.mkdir(dataDir, { recursive: true });
      await writeFileAtomic(file, new TextEncoder().encode(snapshot));
      // encrypted or not, the file is nobody else's business; later atomic writes keep this mode
      await fs.chmod(file, 0o600).catch(() => undefined);
    };
    const next = writes.then(write);
    writes = next.catch(() => undefined);
    return next;
  };

  return {
    persistence: () => (available() ? 'encrypted' : 'session'),
    get(id) {
      const inMemory = session.get(id);
      if (inMemory) return inMemory;
      const blob = encrypted[id];
      if (blob === undefined) return undefined;
      if (!decrypted.has(id)) {
        try {
          decrypted.set(id, safeStorage.decryptString(Buffer.from(blob, 'base64')));
        } catch {
          // another user's or machine's keyring, or a damaged entry: as if no key were stored
          decrypted.set(id, null);
        }
      }
      const key = decrypted.get(id);
      return key ? { key, source: 'stored' } : undefined;
    },
    async set(id, key) {
      if (!available()) {
        await session.set(id, key);
        return 'session';
      }
      await session.delete(id);
      encrypted[id] = Buffer.from(safeStorage.encryptString(key)).toString('base64');
      decrypted.set(id, key);
      await save();
      return 'stored';
    },
    async delete(id) {
      await session.delete(id);
      decrypted.delete(id);
      if (id in encrypted) {
        delete encrypted[id];
        await save();
      }
    },
  };
}
