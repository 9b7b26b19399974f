/**
 * `npm run bench [name…]`: runs the benchmarks in bench/ one after another and prints their figures. Results
 * are also written to bench/results/<name>.json (git-ignored) for comparison between runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine } from './lib/corpus';

const BENCHES = [
  'tokenizers',
  'incremental',
  'compression',
  'similarity',
  'runner',
  'history',
  'promptfoo',
  'latency',
  'table',
];

const only = process.argv.slice(2);
const selected = only.length ? BENCHES.filter((b) => only.includes(b)) : BENCHES;
console.log(`PromptPress benchmarks on ${machine()}\n`);
const outDir = path.join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
let failed = false;
for (const name of selected) {
  console.log(`▶ ${name}`);
  try {
    const mod = (await import(`./${name}.bench.ts`)) as { run: () => Promise<Record<string, unknown>> };
    const result = await mod.run();
    writeFileSync(
      path.join(outDir, `${name}.json`),
      JSON.stringify({ machine: machine(), at: new Date().toISOString(), ...result }, null, 2),
    );
  } catch (err) {
    failed = true;
    console.error(`  FAILED: ${(err as Error).message}`);
  }
  console.log('');
}
process.exitCode = failed ? 1 : 0;
