import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COOKBOOK_MESSAGES, sandbox, type CliRun } from './support';

let cli: (argv: string[]) => Promise<CliRun>;
let dir: string;

const write = (name: string, content: string) => writeFile(path.join(dir, name), content);

beforeAll(async () => {
  ({ cli, dir } = await sandbox());
  await write('messages.json', JSON.stringify(COOKBOOK_MESSAGES, null, 2));
  await write('request.json', JSON.stringify({ model: 'gpt-3.5-turbo', messages: COOKBOOK_MESSAGES }));
  await write(
    'tools.json',
    JSON.stringify({
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city.',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string', description: 'City name' } },
            },
          },
        },
      ],
    }),
  );
});

describe('count --messages', () => {
  it('counts the cookbook example as 124 tokens for gpt-4o (bare messages array, JSON)', async () => {
    const r = await cli(['count', '--messages', 'messages.json', '--model', 'gpt-4o', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      file: 'messages.json',
      model: 'gpt-4o',
      tokens: 124,
      method: 'exact',
      messageCount: 6,
    });
    expect(out.parts.messages + out.parts.overhead + out.parts.tools).toBe(124);
    expect(out.parts.tools).toBe(0);
    expect(out.cost.inputUsd).toBeCloseTo((124 * 2.5) / 1e6, 15);
  });

  it('counts a request body as 129 tokens for gpt-3.5-turbo, in human form', async () => {
    const r = await cli(['count', '--messages', 'request.json', '--model', 'gpt-3.5-turbo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('request.json: 6 messages for gpt-3.5-turbo');
    expect(r.stdout).toMatch(/\n {2}tokens\s+129 \(exact\)\n/);
    expect(r.stdout).toMatch(/\n {2}parts\s+messages \d+ \+ overhead 25 \+ tools 0\n/);
  });

  it('labels tool definitions as an estimate and prints the notes', async () => {
    const r = await cli(['count', '--messages', 'tools.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tokens\s+≈\d+ \(estimate\)/);
    expect(r.stdout).toMatch(/tools [1-9]\d*/);
    expect(r.stdout).toMatch(/note\s+tool definitions counted with the OpenAI cookbook's approximation/);
  });

  it('marks a model without a public tokenizer as an estimate', async () => {
    const r = await cli(['count', '--messages', 'messages.json', '--model', 'claude-sonnet-4-5', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('estimate');
    expect(out.notes.join(' ')).toContain('stand-in');
  });

  it.each([
    // Node 20 gives no position for "Unexpected token" errors: the line and column must still be right
    ['trailing comma in an array', '[\n  {"role": "user", "content": "hi"},\n]\n', 3, 1],
    ['trailing comma in an object', '{\n  "messages": [],\n}', 3, 1],
    ['a truncated file', '{"messages": [{"role": "user"', 1, 30],
  ])(
    'fails with PARSE_ERROR naming the file, line and column on %s',
    async (_name, content, line, column) => {
      await write('broken.json', content);
      const r = await cli(['count', '--messages', 'broken.json', '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `promptpress: PARSE_ERROR: broken.json is not valid JSON (line ${line}, column ${column})`,
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: false,
        error: { code: 'PARSE_ERROR', details: { file: 'broken.json', line, column } },
      });
    },
  );

  it.each([
    [
      'a wrong role',
      [
        { role: 'user', content: 'a' },
        { role: 'wizard', content: 'b' },
      ],
      'messages[1].role',
    ],
    ['content that is a number', [{ role: 'user', content: 42 }], 'messages[0].content'],
    ['no messages', { model: 'gpt-4o', messages: [] }, 'messages'],
    ['not a request', 'hello', '(root)'],
  ])('fails with INVALID_INPUT naming the field for %s', async (_name, request, field) => {
    await write('invalid.json', JSON.stringify(request));
    const r = await cli(['count', '--messages', 'invalid.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^promptpress: INVALID_INPUT: invalid\.json: Not a valid chat request: /);
    expect(r.stderr).toContain(field);
    expect(r.stdout).toBe('');
  });

  it('fails with UNKNOWN_MODEL and FILE_NOT_FOUND (exit 1)', async () => {
    const unknown = await cli(['count', '--messages', 'messages.json', '--model', 'gpt-0']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('promptpress: UNKNOWN_MODEL:');
    const missing = await cli(['count', '--messages', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^promptpress: FILE_NOT_FOUND: .*nope\.json/);
  });

  it.each([
    [['count', 'prompt.md', '--messages', 'messages.json'], 'give no FILE'],
    [['count', '--messages', 'messages.json', '--models', 'gpt-4o,gpt-4o-mini'], '--models'],
    [['count', '--messages', 'messages.json', '--projection', 'days=1'], '--projection'],
    [['count', '--messages'], 'argument missing'],
  ])('exits 64 on %j', async (argv, mention) => {
    const r = await cli(argv);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(mention);
  });
});
