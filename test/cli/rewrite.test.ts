import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { startStubLlmServer, type StubLlmServer } from '../support/stubLlmServer';

const KEY = 'sk-proj-PLANTED-cli-key-3333';
const PROMPT = 'Hello {{name}}. It is really very important that you always answer in a polite manner.\n';

let stub: StubLlmServer;
let dir: string;

beforeAll(async () => {
  stub = await startStubLlmServer({
    openai: {
      apiKey: KEY,
      reply: (req) =>
        req.messages[0]!.content.replace(/^<prompt>\n|\n<\/prompt>$/g, '').replace(
          'It is really very important that you always answer in a polite manner.',
          'Always answer politely.',
        ),
    },
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'pp-cli-rewrite-'));
  await writeFile(path.join(dir, 'p.md'), PROMPT);
  await writeFile(
    path.join(dir, 'rw.pipeline.json'),
    JSON.stringify({
      version: 1,
      steps: [{ strategy: 'llm.rewrite', options: { model: 'openai:gpt-4o-mini' } }],
    }),
  );
});
afterAll(() => stub.close());

async function cli(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    env: { PROMPTPRESS_DATA_DIR: path.join(dir, 'data'), ...env },
  });
  return { code, stdout, stderr };
}

describe('promptpress compress with llm.rewrite', () => {
  it('calls the model named by the pipeline with OPENAI_API_KEY and OPENAI_BASE_URL, and reports the call', async () => {
    const r = await cli(['compress', 'p.md', '--pipeline', 'rw.pipeline.json'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: `${stub.url}/v1`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Model call \(llm\.rewrite\): openai:gpt-4o-mini, [\d,]+ input \+ [\d,]+ output tokens \(provider-reported\), \$0\.0000\d+/,
    );
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
    const json = await cli(['compress', 'p.md', '--pipeline', 'rw.pipeline.json', '--json'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: `${stub.url}/v1`,
    });
    expect(JSON.parse(json.stdout).llmCalls).toHaveLength(1);
  });

  it('says why the prompt is unchanged when no key is set', async () => {
    const before = stub.requests.length;
    const r = await cli(['compress', 'p.md', '--pipeline', 'rw.pipeline.json'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✗ llm.rewrite: PROVIDER_NOT_CONFIGURED: No OpenAI API key is configured');
    expect(r.stdout).toContain('OPENAI_API_KEY');
    expect(stub.requests.length).toBe(before);
  });
});
