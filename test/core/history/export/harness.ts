/**
 * What the export tests share: the tau-bench trajectories (read in place from ../shared/corpora, see
 * test/core/history/formats/corpora.ts), the engine run the way the app runs it (import, applyPolicy for
 * OpenAI's rules, export), the generated TypeScript compiled and imported, the generated Python run by
 * python3, and one token counter and one fake summariser that the three sides compute alike.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { exportOpenAI, importHistory } from '../../../../src/core/history/formats';
import type { OpenAIChatMessage } from '../../../../src/core/history/formats';
import {
  applyPolicy,
  createPolicyState,
  type Policy,
  type RequestCounter,
  type PolicyState,
  type SummariseRequest,
  type SummaryResult,
} from '../../../../src/core/history/policy';
import type { Conversation } from '../../../../src/core/history/types';

export const TAU_FILE = path.resolve(
  import.meta.dirname,
  '../../../../../shared/corpora/conversations/tau-bench__historical_trajectories__gpt-4o-airline.json',
);

export type Message = OpenAIChatMessage;

/** A conversation as the app holds it (OpenAI messages) and as the engine reads it. */
export interface Case {
  messages: Message[];
  conv: Conversation;
}

/**
 * Conversations from an OpenAI file: as written (what the generated code gets) and as imported (what the
 * engine gets). Fresh objects on every call: the engine caches truncated and cleared results per source
 * message without the counter in the key, so a test gives each counter its own copy.
 */
export function readCases(text: string, fileName: string): Case[] {
  const raw = JSON.parse(text) as Array<{ traj?: Message[]; messages?: Message[] }>;
  const convs = importHistory(text, fileName).conversations;
  return convs.map((conv, i) => ({ conv, messages: raw[i]!.traj ?? raw[i]!.messages! }));
}

let tauCache: string | undefined;
/** The tau-bench file's text, read once. */
export const tauText = (): string => (tauCache ??= readFileSync(TAU_FILE, 'utf8'));

/** The counters all three sides implement: by UTF-8 bytes, so that JavaScript and Python agree exactly. */
export type CounterName = 'estimate' | 'bytes3';
const utf8 = (t: string) => Buffer.byteLength(t, 'utf8');
export const COUNTERS: Record<CounterName, (t: string) => number> = {
  // what the generated code uses when no counter is passed: ceil(bytes / 4)
  estimate: (t) => Math.ceil(utf8(t) / 4),
  // another one, passed explicitly; it counts the empty string as 1 (so every empty text shows)
  bytes3: (t) => Math.floor(utf8(t) / 3) + 1,
};

/**
 * A deterministic "summary" that depends on everything the summariser is sent (a hash of the prompt and
 * the transcript, the model and the limit). Python computes the same (PY_HARNESS).
 */
export function fakeSummary(r: {
  model: string;
  system: string;
  user: string;
  maxOutputTokens: number;
}): string {
  const digest = createHash('sha256').update(`${r.system}\u0000${r.user}`, 'utf8').digest('hex').slice(0, 16);
  return `S${digest} lines=${r.user.split('\n').length} model=${r.model} max=${r.maxOutputTokens}`;
}

/** The previous summary inside a summariser request's user message, if any. */
export function previousOf(user: string): string | undefined {
  const m = /^Summary so far:\n([\s\S]*?)\n\nNew messages:\n/.exec(user);
  return m ? m[1] : undefined;
}

/**
 * The generated code's summariser callback: the fake summary, after checking the extra fields it is given
 * (the previous summary as in the transcript, and at least one message folded in).
 */
export function generatedSummariser(r: {
  model: string;
  system: string;
  user: string;
  maxOutputTokens: number;
  messages: readonly unknown[];
  previous: string | undefined;
}): string {
  if (r.previous !== previousOf(r.user) || r.messages.length === 0)
    throw new Error(
      `inconsistent summary request: ${JSON.stringify({ previous: r.previous, n: r.messages.length })}`,
    );
  return fakeSummary(r);
}

export interface RunOptions {
  counter: CounterName;
  toolTokens: number;
  contextWindow?: number;
}

/** The engine, as the app runs it for an OpenAI request: the result exported as OpenAI messages. */
export async function engineRun(
  policy: Policy,
  c: Case,
  cut: number,
  opts: RunOptions,
  counter: RequestCounter,
  state: PolicyState = createPolicyState(),
): Promise<Message[]> {
  const prefix = c.messages.slice(0, cut);
  const system = prefix.filter((m) => m.role === 'system' || m.role === 'developer').length;
  const messages = c.conv.messages.slice(0, cut - system);
  const summarise = async (r: SummariseRequest): Promise<SummaryResult> => ({
    text: fakeSummary(r),
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
  });
  const r = await applyPolicy(
    policy,
    { system: c.conv.system, messages },
    {
      provider: 'openai',
      counter,
      toolTokens: opts.toolTokens,
      ...(opts.contextWindow ? { contextWindow: opts.contextWindow } : {}),
      summarise,
    },
    state,
  );
  return exportOpenAI({ ...c.conv, system: r.system, messages: r.messages }).messages;
}

/** A scratch directory for generated modules, removed by the returned function. */
export function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'promptpress-export-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A generated TypeScript module, transpiled and imported. */
export interface TsModule {
  applyPolicy: (
    messages: readonly Message[],
    options?: Record<string, unknown>,
  ) => Message[] | Promise<Message[]>;
  createPolicyState?: () => unknown;
  estimateTokens: (text: string) => number;
}

export async function importTypeScript(code: string, dir: string, name: string): Promise<TsModule> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(file, js);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as TsModule;
}

/** Compiler errors of generated modules under strict settings an app may use (none expected). */
export function typeErrors(files: Record<string, string>, dir: string): string[] {
  const names = Object.entries(files).map(([name, code]) => {
    const file = path.join(dir, name);
    writeFileSync(file, code);
    return file;
  });
  const root = path.resolve(import.meta.dirname, '../../../..');
  const program = ts.createProgram(names, {
    strict: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    exactOptionalPropertyTypes: true,
    noImplicitReturns: true,
    noImplicitOverride: true,
    noPropertyAccessFromIndexSignature: true,
    noFallthroughCasesInSwitch: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    skipLibCheck: true,
    noEmit: true,
    paths: {
      openai: [path.join(root, 'node_modules/openai')],
      'openai/*': [path.join(root, 'node_modules/openai/*')],
    },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/**
 * Runs generated Python modules over conversations: each job names a module, the counter, the options,
 * and the cut points of each conversation (taken in order, with one state per conversation when the policy
 * summarises). Answers, per job and cut, the messages: an input message as its index, a new one in full.
 */
export const PY_HARNESS = String.raw`
import hashlib, importlib.util, json, re, sys

_LONE = re.compile(r"[\ud800-\udfff]")

_PREVIOUS = re.compile(r"Summary so far:\n([\s\S]*?)\n\nNew messages:\n")

def fake_summary(req):
    m = _PREVIOUS.match(req["user"])
    if req["previous"] != (m.group(1) if m else None) or not req["messages"]:
        raise AssertionError("inconsistent summary request")
    text = _LONE.sub("\ufffd", req["system"] + "\x00" + req["user"])
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return "S%s lines=%d model=%s max=%d" % (
        digest, len(req["user"].split("\n")), req["model"], req["max_output_tokens"])

COUNTERS = {
    "estimate": None,
    "bytes3": lambda t: len(t.encode("utf-8", "surrogatepass")) // 3 + 1,
}

def main():
    data = json.load(sys.stdin)
    convs = data["conversations"]
    out = []
    for job in data["jobs"]:
        spec = importlib.util.spec_from_file_location("policy_%d" % len(out), job["module"])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        results = []
        for conv_index, cuts in job["cases"]:
            traj = convs[conv_index]
            where = {id(m): i for i, m in enumerate(traj)}
            state = {} if job["summarise"] else None
            for cut in cuts:
                kwargs = {"tool_tokens": job["toolTokens"], "context_window": job.get("contextWindow")}
                if job["summarise"]:
                    kwargs["state"] = state
                got = mod.apply_policy(traj[:cut], COUNTERS[job["counter"]], fake_summary if job["summarise"] else None, **kwargs)
                results.append([where.get(id(m), m) for m in got])
        out.append(results)
    sys.stdout.write(json.dumps(out))

main()
`;

export interface PyJob {
  module: string;
  counter: CounterName;
  toolTokens: number;
  contextWindow?: number;
  summarise: boolean;
  /** [conversation index, cut points] */
  cases: Array<[number, number[]]>;
}

/**
 * Runs the jobs in one python3 process, started at once (the caller works meanwhile); fails, never skips,
 * when python3 is missing.
 */
export function runPython(conversations: Message[][], jobs: PyJob[], dir: string): Promise<Message[][][]> {
  const script = path.join(dir, 'harness.py');
  writeFileSync(script, PY_HARNESS);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) =>
      reject(
        new Error(
          `python3 is needed to test the Python export and could not be run (${e.message}): install python3.`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new Error(`the generated Python failed (exit ${code}):\n${Buffer.concat(err).toString('utf8')}`),
        );
        return;
      }
      const answers = JSON.parse(Buffer.concat(out).toString('utf8')) as Array<
        Array<Array<number | Message>>
      >;
      resolve(
        answers.map((job, j) => {
          const convOf = jobs[j]!.cases.flatMap(([conv, cs]) => cs.map(() => conv));
          return job.map((msgs, k) =>
            msgs.map((m) => (typeof m === 'number' ? conversations[convOf[k]!]![m]! : m)),
          );
        }),
      );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify({ conversations, jobs }));
  });
}

/** JSON-equal copies (what goes over the wire), for deep comparison. */
export const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Request points of a conversation: prefixes ending in a user or tool message (the agent answers next). */
export function requestPoints(messages: readonly Message[]): number[] {
  const out: number[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'user' || m.role === 'tool') out.push(i + 1);
  });
  return out;
}

/** `count` points spread over the list (always the last). */
export function spread(points: readonly number[], count: number): number[] {
  if (points.length <= count) return [...points];
  const out = new Set<number>();
  for (let k = 1; k <= count; k++) out.add(points[Math.round((k * points.length) / count) - 1]!);
  return [...out];
}
