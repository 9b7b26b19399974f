import { parseArgs } from 'node:util';
import path from 'node:path';
import { call } from '../../backend/dispatch';
import type { Backend } from '../../backend/createBackend';
import type { SimulationResult } from '../../core/history/simulate';
import { formatUsd } from '../../core/pricing/cost';
import { EXIT, UsageError, fail, printJson, type CliIo } from '../io';
import { int, table } from '../format';

export const SIMULATE_HELP = `Usage: promptpress simulate HISTORY --policy P.policy.json [--model ID] [--conversation ID] [--turns] [--json]

Replays each conversation of a history file (OpenAI or Anthropic messages, ShareGPT, JSON Lines or a plain
transcript; docs/formats/history.md) the way an app sends it, turn by turn, with and without a history policy
(docs/formats/history-policy.md), and prints the input tokens and cost of both, the cache reads where the
prefix stays stable, the summariser's own calls, and the break-even turn. A summarising policy calls its model
through the configured providers (keys from the environment).

Options:
      --policy FILE        the history policy (.policy.json or .policy.yaml)
  -m, --model ID           the model the app talks to (default: the selected model in the settings)
      --conversation ID    only this conversation (default: every conversation in the file)
      --turns              print the per-turn table too (one conversation)
      --no-cache           price every input token as uncached (no prompt caching)
      --json               print the simulation results as JSON
`;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function turnsTable(r: SimulationResult): string {
  return table(
    ['turn', 'original in', 'policy in', 'cache read', 'original $', 'policy $', 'cumulative saved'],
    r.turn.map((t, i) => [
      String(t),
      int(r.original.inputTokens[i]!),
      int(r.policy.inputTokens[i]!),
      int(r.policy.cacheReadTokens[i]!),
      formatUsd(r.original.costUsd[i]!),
      formatUsd(r.policy.costUsd[i]!),
      formatUsd(r.original.cumulativeUsd[i]! - r.policy.cumulativeUsd[i]!),
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

/** `promptpress simulate`: the CLI face of history.load and history.simulate. */
export async function simulateCommand(backend: Backend, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      policy: { type: 'string' },
      model: { type: 'string', short: 'm' },
      conversation: { type: 'string' },
      turns: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(SIMULATE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('simulate takes exactly one HISTORY file.');
  if (values.policy === undefined) throw new UsageError('simulate needs --policy P.policy.json.');
  const file = path.resolve(io.cwd, positionals[0]!);
  const policyPath = path.resolve(io.cwd, values.policy);
  let model = values.model;
  if (model === undefined) {
    const s = await call(backend, 'settings.get', {});
    if (!s.ok) return fail(io, s.error, values.json);
    model = s.data.selectedModel;
  }
  const loaded = await call(backend, 'history.load', { path: file });
  if (!loaded.ok) return fail(io, loaded.error, values.json);
  const ids =
    values.conversation !== undefined ? [values.conversation] : loaded.data.conversations.map((c) => c.id);
  if (values.turns && ids.length !== 1)
    throw new UsageError('--turns prints one conversation: add --conversation ID.');
  const results: Array<{ id: string; result: SimulationResult }> = [];
  for (const id of ids) {
    const r = await call(backend, 'history.simulate', {
      path: file,
      conversationId: id,
      policyPath,
      model,
      caching: !values['no-cache'],
    });
    if (!r.ok) return fail(io, r.error, values.json);
    results.push({ id, result: r.data });
  }
  if (values.json) {
    printJson(io, { file: positionals[0], model, conversations: results });
    return EXIT.ok;
  }
  let original = 0;
  let policy = 0;
  const rows = results.map(({ id, result: r }) => {
    original += r.summary.original.costUsd;
    policy += r.summary.policy.costUsd;
    return [
      id,
      int(r.summary.turns),
      int(r.summary.original.inputTokens),
      int(r.summary.policy.inputTokens),
      formatUsd(r.summary.original.costUsd),
      formatUsd(r.summary.policy.costUsd),
      pct(r.summary.savedFraction),
      r.summary.breakEvenTurn === null ? 'never' : String(r.summary.breakEvenTurn),
      r.summary.policy.summariserCalls ? String(r.summary.policy.summariserCalls) : '-',
    ];
  });
  let out = `${positionals[0]}: ${loaded.data.format}, ${int(results.length)} conversation(s), model ${model}\n\n`;
  out += table(
    [
      'conversation',
      'turns',
      'original in',
      'policy in',
      'original $',
      'policy $',
      'saved',
      'break-even',
      'summaries',
    ],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  if (results.length > 1)
    out += `\nTotal: ${formatUsd(original)} → ${formatUsd(policy)} (${pct(original === 0 ? 0 : (original - policy) / original)} saved)\n`;
  if (values.turns) out += `\n${turnsTable(results[0]!.result)}`;
  const notes = [...new Set(results.flatMap((r) => r.result.summary.notes))];
  for (const n of notes) out += `  ! ${n}\n`;
  io.stdout(out);
  return EXIT.ok;
}
