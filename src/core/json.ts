import { AppError } from './errors';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

class SyntaxStop {
  constructor(readonly at: number) {}
}

/**
 * Offset of the first syntax error in `text` under the JSON grammar (RFC 8259), or -1 when it is valid.
 * Needed because V8's SyntaxError gives no position for "Unexpected token" errors (Node 20).
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const stop = (at = i): never => {
    throw new SyntaxStop(at);
  };
  const ws = () => {
    while (i < n && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const digits = () => {
    if (!(text[i]! >= '0' && text[i]! <= '9')) stop();
    while (text[i]! >= '0' && text[i]! <= '9') i++;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= n) stop(n);
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 0x20) stop();
      if (c === 92) {
        i++;
        if (i < n && '"\\/bfnrt'.includes(text[i]!)) i++;
        else if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop();
        } else stop();
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        if (text[i] !== '"') stop();
        string();
        ws();
        if (text[i] !== ':') stop();
        i++;
        value();
        ws();
        if (text[i] === '}') return void i++;
        if (text[i] !== ',') stop();
        i++;
        ws();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ']') return void i++;
        if (text[i] !== ',') stop();
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) {
        for (const ch of word) if (text[i++] !== ch) stop(i - 1);
        return;
      }
    }
    stop();
  };
  try {
    value();
    ws();
    return i < n ? i : -1;
  } catch (err) {
    if (err instanceof SyntaxStop) return Math.min(err.at, n);
    return -1; // too deeply nested to scan: let the caller fall back
  }
}

/** JSON.parse that fails with PARSE_ERROR naming the file, line and column instead of a bare SyntaxError. */
export function parseJson(text: string, displayName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const scanned = jsonErrorOffset(text);
    const pos = /position (\d+)/.exec(message);
    const offset = scanned >= 0 ? scanned : pos ? Number(pos[1]) : text.length;
    const { line, column } = lineColumn(text, offset);
    // V8 appends the position or a quote of the text ("Unexpected token ']', "…" is not valid JSON").
    const reason = message
      .replace(/ (in JSON )?at position \d+.*$/s, '')
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
    throw new AppError(
      'PARSE_ERROR',
      `${displayName} is not valid JSON (line ${line}, column ${column}): ${reason}.`,
      {
        file: displayName,
        line,
        column,
      },
    );
  }
}
