import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer boundaries enforced by the linter', () => {
  it.each([
    ["import { promises } from 'node:fs';", 'Node built-ins'],
    ["import path from 'path';", 'bare Node built-ins'],
    ["import { routes } from '../shared/contract';", 'src/shared'],
    ["import { dispatch } from '../../backend/dispatch';", 'the backend'],
    ["import { app } from 'electron';", 'Electron'],
    ["import { useState } from 'react';", 'React'],
  ])('forbids core from importing %s (%s)', async (code) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, 'src/core/tokens/example.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('forbids DOM and process globals in core', async () => {
    expect(await ruleIds('export const w = window.location;\n', 'src/core/example.ts')).toContain(
      'no-restricted-globals',
    );
  });

  it('allows core to import core and zod', async () => {
    const ids = await ruleIds(
      "import { z } from 'zod';\nimport { AppError } from '../errors';\nexport const s = z.string();\nexport const e = AppError;\n",
      'src/core/tokens/example.ts',
    );
    expect(ids).not.toContain('no-restricted-imports');
  });

  it.each([
    "import { dispatch } from '../../backend/dispatch';",
    "import { windowOptions } from '../../main/window';",
    "import { startServer } from '../../server/index';",
    "import { promises } from 'node:fs';",
    "import { ipcRenderer } from 'electron';",
  ])('forbids the renderer from importing: %s', async (code) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, 'src/renderer/src/features/x.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('lets only transport/ touch the preload bridge', async () => {
    const code = 'export const bridge = window.promptpress;\n';
    expect(await ruleIds(code, 'src/renderer/src/App.tsx')).toContain('no-restricted-syntax');
    expect(await ruleIds(code, 'src/renderer/src/transport/ipc.ts')).not.toContain('no-restricted-syntax');
  });

  it('forbids the backend from importing a host or Electron', async () => {
    expect(
      await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'src/backend/x.ts'),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        "import { startServer } from '../server/index';\nexport const s = startServer;\n",
        'src/backend/x.ts',
      ),
    ).toContain('no-restricted-imports');
  });
});
