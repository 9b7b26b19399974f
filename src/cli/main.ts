import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend } from '../backend/createBackend';
import { findResourcesDir } from '../backend/paths';
import { countCommand, COUNT_HELP } from './commands/count';
import { modelsCommand, MODELS_HELP } from './commands/models';
import { EXIT, UsageError, type CliIo } from './io';
import { compressCommand, COMPRESS_HELP } from './commands/compress';
import { providersCommand, PROVIDERS_HELP } from './commands/providers';
import { benchCommand, BENCH_HELP } from './commands/bench';
import { simulateCommand, SIMULATE_HELP } from './commands/simulate';
import { exportPolicyCommand, EXPORT_POLICY_HELP } from './commands/exportPolicy';

const HELP = `PromptPress: exact token counts, costs and compression for prompts.

Usage: promptpress <command> [options]

Commands:
  count FILE [--model ID]               tokens and input cost of a prompt file for one model
  count FILE --models A,B,C             cost per model: per request, per 1k requests, per month,
        [--projection KEY=VALUE,...]    with a workload projection (input, output, cache, embeddings, other)
        [--compressed FILE2]            and a compressed version side by side with the saving
  count --messages REQUEST.json         a whole chat request as billed (messages, overhead, tools)
  compress FILE [--pipeline P.json]     compress a prompt: tokens before/after, savings per strategy,
        [--out OUT] [--model ID]        what the guards blocked; --strict exits 2 when they blocked an edit
        [--strict]
  models [--provider P] [--search TEXT] the model and price catalog
  models import-litellm FILE            merge a LiteLLM price file into the catalog
  providers list                        model providers, their base URLs, keys (last 4) and limits
  providers test [ID ...]               check each provider with a key with its cheapest call
  bench CONFIG.yaml [--estimate]        run prompt variants × models over a golden set: pass rates, costs,
        [--json|--junit F|--md F]       the verdict against the baseline; --min-pass-rate / --max-quality-drop
                                        exit 2 when a threshold fails; --resume RUN_ID, --runs
  simulate HISTORY --policy P.json      replay conversations turn by turn with and without a history policy:
        [--model ID] [--turns]          input tokens, cost, cache reads, summaries, the break-even turn
  export-policy P.json --lang L         the policy as a TypeScript or Python function, LangChain or Anthropic
                                        settings (ts, py, langchain, anthropic, json, yaml)

Every command takes --json for machine output. Run \`promptpress <command> --help\` for its options.
Exit codes: 0 ok, 1 error (\`promptpress: CODE: message\` on stderr), 2 a requested check failed, 64 bad usage.
`;

const COMMANDS: Record<
  string,
  { help: string; run: (backend: Backend, args: string[], io: CliIo) => Promise<number> }
> = {
  count: { help: COUNT_HELP, run: countCommand },
  compress: { help: COMPRESS_HELP, run: compressCommand },
  models: { help: MODELS_HELP, run: modelsCommand },
  providers: { help: PROVIDERS_HELP, run: providersCommand },
  bench: { help: BENCH_HELP, run: benchCommand },
  simulate: { help: SIMULATE_HELP, run: simulateCommand },
  'export-policy': { help: EXPORT_POLICY_HELP, run: exportPolicyCommand },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(findResourcesDir(), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(HELP);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(`promptpress: unknown command "${command}".\n\n${HELP}`);
    return EXIT.usage;
  }
  const backend = createBackend({
    host: 'cli',
    version: version(),
    watch: false,
    dataDir: io.env.PROMPTPRESS_DATA_DIR,
    anthropicApiKey: io.env.ANTHROPIC_API_KEY,
    anthropicBaseURL: io.env.ANTHROPIC_BASE_URL,
    openaiApiKey: io.env.OPENAI_API_KEY,
    openaiBaseURL: io.env.OPENAI_BASE_URL,
    env: io.env,
  });
  try {
    return await entry.run(backend, rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`promptpress ${command}: ${(err as Error).message}\n\n${entry.help}`);
      return EXIT.usage;
    }
    io.stderr(`promptpress: INTERNAL: ${(err as Error).message}\n`);
    return EXIT.error;
  } finally {
    backend.dispose();
  }
}

/** The process entry used by bin/promptpress.js. */
export function main(argv: string[]): Promise<number> {
  // `promptpress … | head` closes the pipe early: stop quietly, as Unix tools do, instead of a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return runCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  });
}
