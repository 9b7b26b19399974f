import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';

/** Real prompts from ../shared/corpora (τ-bench / τ²-bench, MIT; see its README). */
export const CORPUS = path.resolve('../shared/corpora/system-prompts');
export const AIRLINE = path.join(CORPUS, '041_sierra-research__tau_bench__envs__airline__wiki.md');
/** Fully static, ~3.8k o200k tokens: long enough for OpenAI's automatic prompt caching. */
export const MANUAL = path.join(
  CORPUS,
  '044_sierra-research__data__tau2__domains__telecom__tech_support_manual.md',
);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A scratch folder (the CLI's working directory) and its own data folder, so catalog changes stay local;
 * `env` adds variables (keys, base URLs) to the CLI's environment.
 */
export async function sandbox(env: Record<string, string> = {}): Promise<{
  dir: string;
  dataDir: string;
  cli: (argv: string[]) => Promise<CliRun>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pp-cli-'));
  const dataDir = path.join(dir, 'data');
  const cli = async (argv: string[]): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: dir,
      env: { ...env, PROMPTPRESS_DATA_DIR: dataDir },
    });
    return { code, stdout, stderr };
  };
  return { dir, dataDir, cli };
}

export { COOKBOOK_MESSAGES } from '../support/fixtures';
