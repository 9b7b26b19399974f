import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import { writeFileAtomic } from '../../backend/services/textFiles';
import { HISTORY_EXPORT_TARGETS, type HistoryExportTarget } from '../../shared/history';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';

export const EXPORT_POLICY_HELP = `Usage: promptpress export-policy P.policy.json --lang ts|py|langchain|anthropic|json|yaml [--out FILE] [--json]

Writes a history policy (docs/formats/history-policy.md) in a form to use in your own app
(docs/formats/history-policy-export.md): a dependency-free TypeScript or Python function that applies it to
OpenAI chat messages at runtime, the equivalent LangChain trim_messages call or Anthropic context-management
settings (each saying what it cannot express), or the policy file itself. Prints to stdout unless --out.

Options:
      --lang TARGET   ts, py, langchain, anthropic, json or yaml
  -o, --out FILE      write it there (atomically) instead of stdout
      --json          print { text, notes, extension } as JSON
`;

/** `promptpress export-policy`: the CLI face of history.renderPolicy. */
export async function exportPolicyCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      lang: { type: 'string' },
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(EXPORT_POLICY_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('export-policy takes exactly one policy file.');
  const target = values.lang as HistoryExportTarget | undefined;
  if (target === undefined || !HISTORY_EXPORT_TARGETS.includes(target))
    throw new UsageError(`--lang takes one of ${HISTORY_EXPORT_TARGETS.join(', ')}.`);
  const r = await call(backend, 'history.renderPolicy', {
    policyPath: path.resolve(io.cwd, positionals[0]!),
    target,
  });
  if (!r.ok) return fail(io, r.error, values.json);
  if (values.json) {
    printJson(io, r.data);
    return EXIT.ok;
  }
  if (values.out !== undefined) {
    const abs = path.resolve(io.cwd, values.out);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFileAtomic(abs, new TextEncoder().encode(r.data.text), values.out);
    io.stdout(`Wrote ${values.out}.\n`);
  } else io.stdout(r.data.text.endsWith('\n') ? r.data.text : `${r.data.text}\n`);
  for (const n of r.data.notes) io.stderr(`note: ${n}\n`);
  return EXIT.ok;
}
