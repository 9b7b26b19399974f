import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { parseJson } from '../../core/json';
import { isAppError } from '../../shared/errors';
import { readInputFile } from '../files';
import { EXIT, fail, printJson, type CliIo } from '../io';
import { int, perMTok, tokens, usd } from '../format';

/** `count --messages REQUEST.json`: a whole chat request counted as billed, through tokens.countRequest. */
export async function countRequestFile(
  backend: Backend,
  io: CliIo,
  file: string,
  model: string,
  json: boolean,
): Promise<number> {
  const read = await readInputFile(io, file);
  if (!read.ok) return fail(io, read.error, json);
  let request: unknown;
  try {
    request = parseJson(read.file.text, file);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return fail(
      io,
      { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      json,
    );
  }
  const result = await call(backend, 'tokens.countRequest', { request, model });
  if (!result.ok) {
    const error =
      result.error.code === 'INVALID_INPUT'
        ? { ...result.error, message: `${file}: ${result.error.message}` }
        : result.error;
    return fail(io, error, json);
  }
  const r = result.data;
  if (json) {
    printJson(io, {
      file,
      model: r.model,
      tokens: r.tokens,
      method: r.method,
      parts: r.parts,
      messageCount: r.messageCount,
      notes: r.notes,
      cost: {
        inputUsd: r.cost.usd,
        inputPerMTokUsd: r.cost.perMTok,
        currency: 'USD',
        basis: 'the request as one uncached input',
      },
    });
    return EXIT.ok;
  }
  const { messages, overhead, tools } = r.parts;
  io.stdout(
    `${file}: ${int(r.messageCount)} message${r.messageCount === 1 ? '' : 's'} for ${r.model}\n` +
      `  tokens  ${tokens(r.tokens, r.method)} (${r.method})\n` +
      `  parts   messages ${int(messages)} + overhead ${int(overhead)} + tools ${int(tools)}\n` +
      `  cost    ${usd(r.cost.usd)} as one input (${perMTok(r.cost.perMTok)})\n` +
      r.notes.map((n) => `  note    ${n}\n`).join(''),
  );
  return EXIT.ok;
}
