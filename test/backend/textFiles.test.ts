import { mkdtemp, readFile, writeFile, mkdir, chmod, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, beforeEach } from 'vitest';
import {
  MAX_TEXT_FILE_BYTES,
  decodeText,
  encodeText,
  readTextFile,
  writeFileAtomic,
} from '../../src/backend/services/textFiles';
import { AppError } from '../../src/shared/errors';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pp-text-'));
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('expected a coded error');
}

describe('readTextFile', () => {
  it('reads UTF-8 text with its hash, size and encoding', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, 'héllo 안녕 👋\n');
    const r = await readTextFile(file, 'a.md');
    expect(r.content).toBe('héllo 안녕 👋\n');
    expect(r.encoding).toBe('utf-8');
    expect(r.size).toBe(Buffer.byteLength('héllo 안녕 👋\n'));
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a missing path with FILE_NOT_FOUND', async () => {
    expect(await codeOf(readTextFile(path.join(dir, 'nope.md'), 'nope.md'))).toBe('FILE_NOT_FOUND');
  });

  it('refuses a directory with IS_A_DIRECTORY', async () => {
    await mkdir(path.join(dir, 'sub.md'));
    expect(await codeOf(readTextFile(path.join(dir, 'sub.md')))).toBe('IS_A_DIRECTORY');
  });

  it('refuses a binary file with BINARY_FILE', async () => {
    const file = path.join(dir, 'image.txt');
    await writeFile(
      file,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    );
    expect(await codeOf(readTextFile(file))).toBe('BINARY_FILE');
  });

  it('refuses a 60 MB file with FILE_TOO_LARGE before reading it', async () => {
    const file = path.join(dir, 'huge.txt');
    const handle = await (await import('node:fs/promises')).open(file, 'w');
    await handle.truncate(60 * 1024 * 1024); // sparse: costs no disk
    await handle.close();
    try {
      await readTextFile(file, 'huge.txt');
      throw new Error('expected FILE_TOO_LARGE');
    } catch (err) {
      expect((err as AppError).code).toBe('FILE_TOO_LARGE');
      expect((err as AppError).details).toMatchObject({ size: 60 * 1024 * 1024, limit: MAX_TEXT_FILE_BYTES });
      expect((err as AppError).message).toContain('60.0 MB');
    }
  });

  it('refuses invalid UTF-8 with the line and column of the first bad byte', async () => {
    const file = path.join(dir, 'latin1.md');
    await writeFile(
      file,
      Buffer.concat([Buffer.from('line one\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]),
    );
    try {
      await readTextFile(file, 'latin1.md');
      throw new Error('expected ENCODING_INVALID');
    } catch (err) {
      expect((err as AppError).code).toBe('ENCODING_INVALID');
      expect((err as AppError).details).toMatchObject({ line: 2, column: 4 });
      expect((err as AppError).message).toContain('line 2, column 4');
    }
  });

  it.each([
    ['overlong encoding', [0xc0, 0xaf]],
    ['surrogate half', [0xed, 0xa0, 0x80]],
    ['truncated sequence at end', [0x61, 0xe2, 0x82]],
    ['code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('rejects %s', (_name, bytes) => {
    expect(() => decodeText(Uint8Array.from(bytes), 'x')).toThrowError(/not valid UTF-8/);
  });

  it.each(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'] as const)(
    'round-trips %s through decode and encode',
    (enc) => {
      const text = 'Kim, 30 — 안녕하세요 👋\r\nline 2';
      const bytes = encodeText(text, enc);
      const decoded = decodeText(bytes, 'x');
      expect(decoded).toEqual({ content: text, encoding: enc });
    },
  );
});

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file', async () => {
    const file = path.join(dir, 'p.md');
    await writeFile(file, 'old');
    await writeFileAtomic(file, new TextEncoder().encode('new content'));
    expect(await readFile(file, 'utf8')).toBe('new content');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('never truncates the old file when the write fails', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; make the rename fail instead by targeting a path inside a file.
      const file = path.join(dir, 'p.md');
      await writeFile(file, 'precious');
      await expect(
        writeFileAtomic(path.join(file, 'child.md'), new TextEncoder().encode('x')),
      ).rejects.toBeInstanceOf(AppError);
      expect(await readFile(file, 'utf8')).toBe('precious');
      return;
    }
    const sub = path.join(dir, 'ro');
    await mkdir(sub);
    const file = path.join(sub, 'p.md');
    await writeFile(file, 'precious');
    await chmod(sub, 0o500);
    await expect(writeFileAtomic(file, new TextEncoder().encode('x'))).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(await readFile(file, 'utf8')).toBe('precious');
  });

  it('writes to the target only through rename (a concurrent reader never sees a partial file)', async () => {
    const file = path.join(dir, 'big.md');
    const a = 'a'.repeat(2_000_000);
    const b = 'b'.repeat(2_000_000);
    await writeFile(file, a);
    const reads: string[] = [];
    const writer = writeFileAtomic(file, new TextEncoder().encode(b));
    for (let i = 0; i < 20; i++) reads.push(await readFile(file, 'utf8'));
    await writer;
    for (const r of reads) expect(r === a || r === b).toBe(true);
  });
});
