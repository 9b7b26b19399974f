import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseGoldenJson, parseGoldenJsonl } from '../../core/golden/native';
import { AppError } from '../../shared/errors';
import type { ImportedFileKind } from '../../shared/contract';
import { decodeText, MAX_TEXT_FILE_BYTES, writeFileAtomic } from './textFiles';
import { isPromptFile, resolveInside } from './workspace';

/** Where a dropped file goes in the workspace, by what it is (the folders the sidebar lists). */
const FOLDER: Record<ImportedFileKind, string> = {
  prompt: 'prompts',
  history: 'histories',
  golden: 'golden',
  bench: 'benchmarks',
  policy: 'policies',
  pipeline: 'pipelines',
};

/** Most copies "name (2).ext" … tried before giving up on a name. */
const MAX_COPIES = 999;

/** What a file is, by its name and (for JSON) its content; null when the workspace has no use for it. */
export function classifyImport(name: string, content: string): ImportedFileKind | null {
  const lower = name.toLowerCase();
  if (/\.bench\.(ya?ml|json)$/.test(lower)) return 'bench';
  if (/\.policy\.(json|ya?ml)$/.test(lower)) return 'policy';
  if (/\.pipeline\.json$/.test(lower)) return 'pipeline';
  if (/\.(history|chat)\.jsonl?$/.test(lower)) return 'history';
  if (isPromptFile(lower)) return 'prompt';
  if (/\.(csv|ya?ml)$/.test(lower)) return 'golden';
  if (/\.jsonl?$/.test(lower)) {
    // a golden set when it reads as one (cases with vars); else a conversation history, whose view says
    // what is wrong if it is neither
    try {
      const set = lower.endsWith('.jsonl') ? parseGoldenJsonl(content, name) : parseGoldenJson(content, name);
      if (set.cases.length > 0) return 'golden';
    } catch {
      // not a golden set
    }
    return 'history';
  }
  return null;
}

function checkName(name: string): string {
  const base = name.normalize('NFC');
  if (
    base.length === 0 ||
    base.length > 255 ||
    /[/\\\0]/.test(base) ||
    base === '.' ||
    base === '..' ||
    base.startsWith('.')
  ) {
    throw new AppError('INVALID_INPUT', `"${name}" is not a file name that can be added to the workspace.`, {
      name,
    });
  }
  return base;
}

/** "a.md" → "a (2).md"; "set.golden.yaml" → "set (2).golden.yaml" keeps the double extension. */
function copyName(name: string, n: number): string {
  const m = /^(.*?)((?:\.(?:bench|policy|pipeline|golden|history|chat))?\.[^.]+)$/.exec(name);
  return m && m[1] ? `${m[1]} (${n})${m[2]}` : `${name} (${n})`;
}

/**
 * Adds a file the user dropped on the window to the workspace, in the folder of its kind, never over an
 * existing file (a copy gets " (2)"). The bytes are checked as any opened file is: too large, binary or
 * not valid text is refused with its code and nothing is written.
 */
export async function importFile(
  root: string,
  input: { name: string; data: string },
): Promise<{ path: string; kind: ImportedFileKind; renamed: boolean }> {
  const name = checkName(input.name);
  const bytes = Buffer.from(input.data, 'base64');
  if (bytes.length > MAX_TEXT_FILE_BYTES) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `${name} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; files up to ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MB can be added.`,
      { name, size: bytes.length },
    );
  }
  const { content } = decodeText(bytes, name);
  const kind = classifyImport(name, content);
  if (!kind) {
    throw new AppError(
      'UNSUPPORTED',
      `${name} is not a file PromptPress works with. Drop prompts (.md, .txt, .prompt), histories (.json, .jsonl), golden sets (.yaml, .json, .jsonl, .csv), benchmarks (.bench.yaml), pipelines (.pipeline.json) or policies (.policy.json).`,
      { name },
    );
  }
  const folder = FOLDER[kind];
  for (let n = 1; n <= MAX_COPIES; n++) {
    const rel = `${folder}/${n === 1 ? name : copyName(name, n)}`;
    const abs = await resolveInside(root, rel);
    try {
      await fs.access(abs);
      continue; // taken: try the next copy name
    } catch {
      // free
    }
    await fs.mkdir(path.dirname(abs), { recursive: true });
    // the bytes as dropped (encoding and BOM kept), not the decoded text
    await writeFileAtomic(abs, new Uint8Array(bytes), rel);
    return { path: rel, kind, renamed: n > 1 };
  }
  throw new AppError('FILE_EXISTS', `${folder}/${name} and ${MAX_COPIES} copies of it exist already.`, {
    name,
  });
}
