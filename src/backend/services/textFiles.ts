import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { TEXT_ENCODINGS } from '../../shared/contract';

export type TextEncodingId = (typeof TEXT_ENCODINGS)[number];

/** Largest file the editor opens; bigger files are refused before they are read into memory. */
export const MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024;

export interface DecodedText {
  content: string;
  encoding: TextEncodingId;
}

export interface ReadTextResult extends DecodedText {
  hash: string;
  mtimeMs: number;
  size: number;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function lineAndColumnAt(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Index of the first byte that makes `bytes` invalid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes file bytes as text. UTF-8 (with or without BOM) and UTF-16 with a BOM are accepted; NUL bytes
 * without a UTF-16 BOM mean a binary file; anything else that is not valid UTF-8 is refused with the line
 * and column of the first bad byte, so the user can find it.
 */
export function decodeText(bytes: Uint8Array, displayPath: string): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { content: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { content: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const sniff = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  if (sniff.includes(0)) {
    throw new AppError(
      'BINARY_FILE',
      `${displayPath} looks like a binary file (it contains NUL bytes), so it cannot be opened as a prompt.`,
      { path: displayPath },
    );
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad !== -1) {
    const { line, column } = lineAndColumnAt(body, bad);
    throw new AppError(
      'ENCODING_INVALID',
      `${displayPath} is not valid UTF-8 (first bad byte 0x${body[bad]!.toString(16).padStart(2, '0')} at line ${line}, column ${column}). Re-save it as UTF-8 and open it again.`,
      { path: displayPath, byteOffset: bad + (hasBom ? 3 : 0), line, column },
    );
  }
  return { content: new TextDecoder('utf-8').decode(body), encoding: hasBom ? 'utf-8-bom' : 'utf-8' };
}

/** Encodes text back into the encoding it was read in, so a save never changes a file's encoding. */
export function encodeText(content: string, encoding: TextEncodingId): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return new TextEncoder().encode(content);
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(content, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]);
    case 'utf-16be': {
      const le = Buffer.from(content, 'utf16le');
      for (let i = 0; i + 1 < le.length; i += 2) {
        const t = le[i]!;
        le[i] = le[i + 1]!;
        le[i + 1] = t;
      }
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
  }
}

/** Maps Node's filesystem errors to coded errors with a message naming the path. */
export function fsError(err: unknown, displayPath: string): AppError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new AppError('FILE_NOT_FOUND', `${displayPath} does not exist.`, { path: displayPath });
    case 'EISDIR':
      return new AppError('IS_A_DIRECTORY', `${displayPath} is a folder, not a file.`, { path: displayPath });
    case 'ENOTDIR':
      return new AppError('NOT_A_DIRECTORY', `${displayPath} is not a folder.`, { path: displayPath });
    case 'EACCES':
    case 'EPERM':
      return new AppError('PERMISSION_DENIED', `Permission denied for ${displayPath}.`, {
        path: displayPath,
      });
    default:
      return new AppError('INTERNAL', `Could not access ${displayPath} (${code ?? 'unknown error'}).`, {
        path: displayPath,
      });
  }
}

/** Reads a text file with every check a user's file can fail: missing, folder, too large, binary, bad encoding. */
export async function readTextFile(absPath: string, displayPath = absPath): Promise<ReadTextResult> {
  let stat;
  try {
    stat = await fs.stat(absPath);
  } catch (err) {
    throw fsError(err, displayPath);
  }
  if (stat.isDirectory()) {
    throw new AppError('IS_A_DIRECTORY', `${displayPath} is a folder, not a file.`, { path: displayPath });
  }
  if (stat.size > MAX_TEXT_FILE_BYTES) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `${displayPath} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; PromptPress opens text files up to ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MB.`,
      { path: displayPath, size: stat.size, limit: MAX_TEXT_FILE_BYTES },
    );
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absPath);
  } catch (err) {
    throw fsError(err, displayPath);
  }
  const decoded = decodeText(bytes, displayPath);
  return { ...decoded, hash: sha256(bytes), mtimeMs: stat.mtimeMs, size: bytes.length };
}

/**
 * Writes a file atomically: the bytes go to a temporary file in the same folder, are flushed to disk, and
 * the temporary file is renamed over the target. A failure at any step leaves the old file untouched.
 */
export async function writeFileAtomic(
  absPath: string,
  bytes: Uint8Array,
  displayPath = absPath,
): Promise<void> {
  const dir = path.dirname(absPath);
  const tmp = path.join(dir, `.${path.basename(absPath)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
    try {
      const existing = await fs.stat(absPath);
      await handle.chmod(existing.mode & 0o777);
    } catch {
      // a new file keeps the default mode
    }
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, absPath);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const coded = fsError(err, displayPath);
    throw coded.code === 'INTERNAL'
      ? new AppError('WRITE_FAILED', `Could not save ${displayPath}; the file on disk was not changed.`, {
          path: displayPath,
          reason: (err as NodeJS.ErrnoException).code ?? String(err),
        })
      : coded;
  }
  try {
    const dirHandle = await fs.open(dir, 'r');
    await dirHandle.sync().catch(() => undefined);
    await dirHandle.close();
  } catch {
    // directory fsync is best effort (not supported on every filesystem)
  }
}
