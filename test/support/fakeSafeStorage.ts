import type { SafeStorageLike } from '../../src/backend/secrets/secretStore';

/**
 * A stand-in for Electron's safeStorage: a reversible scramble (XOR and a marker) that, like the real thing,
 * leaves no readable trace of the plaintext in what it returns. `available` switches the OS store off;
 * `encrypted` counts calls so tests can see the key went through it.
 */
export interface FakeSafeStorage extends SafeStorageLike {
  available: boolean;
  encrypted: number;
  /** Makes decryption fail, as with another user's keyring. */
  broken: boolean;
}

const MARK = [0x50, 0x50, 0x31]; // "PP1"

export function createFakeSafeStorage(): FakeSafeStorage {
  const fake: FakeSafeStorage = {
    available: true,
    encrypted: 0,
    broken: false,
    isAvailable: () => fake.available,
    encryptString(plain) {
      fake.encrypted++;
      const bytes = new TextEncoder().encode(plain).map((b, i) => b ^ ((0xa5 + i) % 256));
      return Uint8Array.from([...MARK, ...bytes]);
    },
    decryptString(encrypted) {
      if (fake.broken || MARK.some((m, i) => encrypted[i] !== m)) throw new Error('Error while decrypting');
      return new TextDecoder().decode(encrypted.slice(MARK.length).map((b, i) => b ^ ((0xa5 + i) % 256)));
    },
  };
  return fake;
}
