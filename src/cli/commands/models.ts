import { parseArgs } from 'node:util';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { EXIT, type CliIo } from '../io';
import { errorLine, perMTok } from '../format';

export const MODELS_HELP = `Usage: promptpress models [--json]

Lists the models in the price catalog with their tokenizer and prices per million tokens.
`;

export async function modelsCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(MODELS_HELP);
    return EXIT.ok;
  }
  const result = await call(backend, 'models.list', {});
  if (!result.ok) {
    io.stderr(errorLine(result.error));
    return EXIT.error;
  }
  const { models } = result.data;
  if (values.json) {
    io.stdout(JSON.stringify(models, null, 2) + '\n');
    return EXIT.ok;
  }
  const rows = models.map((m) => [
    m.id,
    m.provider,
    m.tokenizer,
    m.tokenCountMethod,
    perMTok(m.inputPerMTok),
    perMTok(m.outputPerMTok),
  ]);
  const header = ['model', 'provider', 'tokenizer', 'count', 'input', 'output'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd() + '\n';
  io.stdout(line(header) + rows.map(line).join(''));
  return EXIT.ok;
}
